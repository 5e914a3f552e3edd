/**
 * fast-check arbitraries for any generated message, driven by its descriptor, so a property covers
 * every field kind the schema uses (scalars of each width, enums, nested and repeated messages,
 * maps, oneofs, proto2 required fields) without a hand-written generator per message.
 *
 * Inputs deliberately avoided, because they cannot round-trip by definition rather than by a bug:
 * - NaN floats/doubles: `equals` uses IEEE comparison, where NaN !== NaN.
 * - Enum numbers outside the declared values: WAProto is proto2, whose enums are closed, so the
 *   decoder moves unknown values to unknown fields instead of the field.
 * - Strings with lone surrogates: UTF-8 cannot encode them (graphemes only).
 * Nesting is bounded by `maxDepth`; below it only proto2 `required` members are filled in, since
 * toBinary refuses a message whose required fields are unset.
 */
import { create, type DescField, type DescMessage, type MessageShape, ScalarType } from '@bufbuild/protobuf';
import { FeatureSet_FieldPresence } from '@bufbuild/protobuf/wkt';
import fc from 'fast-check';

export interface MessageArbitraryOptions {
  /** Levels of nested messages that get optional fields (default 3). */
  maxDepth?: number;
  /** Optional fields or oneofs set per message (default 6). */
  maxFields?: number;
  /** Elements per repeated or map field (default 3). */
  maxItems?: number;
}

type Init = Record<string, unknown>;

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const UINT64 = { min: 0n, max: 2n ** 64n - 1n };

function scalar(type: ScalarType): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.DOUBLE:
      return fc.double({ noNaN: true });
    case ScalarType.FLOAT:
      return fc.float({ noNaN: true });
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.bigInt(INT64);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.bigInt(UINT64);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return fc.integer();
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.integer({ min: 0, max: 0xffff_ffff });
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.STRING:
      return fc.string({ unit: 'grapheme', maxLength: 16 });
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 48 });
  }
}

class Builder {
  constructor(private readonly options: Required<MessageArbitraryOptions>) {}

  message(desc: DescMessage, depth: number): fc.Arbitrary<Init> {
    // Required members always; optional ones only above the depth limit, picked lazily (chain) so
    // only the chosen fields' arbitraries are ever built: Message alone has over a hundred.
    const required = desc.fields.filter((f) => f.presence === FeatureSet_FieldPresence.LEGACY_REQUIRED);
    const optional =
      depth < this.options.maxDepth ? desc.members.filter((m) => !required.includes(m as DescField)) : [];
    if (depth > this.options.maxDepth + 8)
      throw new Error(`required fields nest too deep in ${desc.typeName}`);
    const maxLength = Math.min(this.options.maxFields, optional.length);
    // At least one field per message above the depth limit: an empty message round-trips trivially.
    return fc.subarray(optional, { minLength: Math.min(1, maxLength), maxLength }).chain((chosen) => {
      const entries: [string, fc.Arbitrary<unknown>][] = [...required, ...chosen].map((member) => [
        member.localName,
        member.kind === 'oneof'
          ? fc
              .constantFrom(...member.fields)
              .chain((f) => this.single(f, depth).map((value) => ({ case: f.localName, value })))
          : this.field(member, depth),
      ]);
      return fc.record(Object.fromEntries(entries));
    });
  }

  private single(field: DescField, depth: number): fc.Arbitrary<unknown> {
    if (field.fieldKind === 'message') return this.message(field.message, depth + 1);
    if (field.fieldKind === 'enum') return fc.constantFrom(...field.enum.values.map((v) => v.number));
    if (field.fieldKind === 'scalar') return scalar(field.scalar);
    throw new Error(`${field} is not singular`);
  }

  private field(field: DescField, depth: number): fc.Arbitrary<unknown> {
    const items = { maxLength: this.options.maxItems };
    switch (field.fieldKind) {
      case 'list': {
        const element =
          field.listKind === 'message'
            ? this.message(field.message, depth + 1)
            : field.listKind === 'enum'
              ? fc.constantFrom(...field.enum.values.map((v) => v.number))
              : scalar(field.scalar);
        return fc.array(element, items);
      }
      case 'map': {
        const value =
          field.mapKind === 'message'
            ? this.message(field.message, depth + 1)
            : field.mapKind === 'enum'
              ? fc.constantFrom(...field.enum.values.map((v) => v.number))
              : scalar(field.scalar);
        // protobuf-es keeps maps as plain objects: every key type becomes its string form.
        return fc
          .array(fc.tuple(scalar(field.mapKey).map(String), value), items)
          .map((e) => Object.fromEntries(e));
      }
      default:
        return this.single(field, depth);
    }
  }
}

/** Random, valid messages of `desc`. */
export function arbitraryMessage<Desc extends DescMessage>(
  desc: Desc,
  options: MessageArbitraryOptions = {},
): fc.Arbitrary<MessageShape<Desc>> {
  const builder = new Builder({ maxDepth: 3, maxFields: 6, maxItems: 3, ...options });
  return builder.message(desc, 0).map((init) => create(desc, init as never));
}
