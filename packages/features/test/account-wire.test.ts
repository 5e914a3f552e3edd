import { type BinaryNode, decodeNode, encodeNode, fromXml, toXml } from '@wakit/binary-node';
import { describe, expect, it } from 'vitest';
import {
  buildCleanDirtyBits,
  buildPassiveSet,
  buildPropsQuery,
  buildPushNamePresence,
  checkPushName,
  InvalidPushNameError,
  MalformedFeatureReplyError,
  PUSH_NAME_MAX_LENGTH,
  parseDirtyBits,
  parseProps,
} from '../src/index';

/** What `run` throws (undefined if nothing). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const xml = (node: BinaryNode) => toXml(decodeNode(encodeNode(node)));
const same = (node: BinaryNode, expected: string) => expect(xml(node)).toBe(xml(fromXml(expected)));

describe('push name (docs/protocol.md §10.4, whatsapp-rust set_push_name)', () => {
  it('is a presence with the name and no type', () => {
    same(buildPushNamePresence('Ana Lía'), '<presence name="Ana Lía"/>');
  });

  it('accepts names up to the length limit, counted in characters, not UTF-16 units', () => {
    expect(() => checkPushName('A')).not.toThrow();
    expect(() => checkPushName('é'.repeat(PUSH_NAME_MAX_LENGTH))).not.toThrow();
    // 25 emoji are 50 UTF-16 units but 25 characters.
    expect(() => checkPushName('😀'.repeat(PUSH_NAME_MAX_LENGTH))).not.toThrow();
  });

  it('refuses empty, blank, too long and multi-line names with InvalidPushNameError', () => {
    for (const name of [
      '',
      '   ',
      'x'.repeat(PUSH_NAME_MAX_LENGTH + 1),
      'two\nlines',
      'tab\there',
      'nul\u0000',
    ]) {
      expect(() => checkPushName(name), JSON.stringify(name)).toThrow(InvalidPushNameError);
    }
    const error = thrown(() => checkPushName('x'.repeat(30))) as InvalidPushNameError;
    expect(error).toBeInstanceOf(InvalidPushNameError);
    expect(error.pushName).toBe('x'.repeat(30));
    expect(error.message).toBe('a push name has at most 25 characters, got 30');
    expect((error.constructor as typeof InvalidPushNameError).code).toBe('ERR_FEATURES_INVALID_PUSH_NAME');
  });
});

describe('passive mode (docs/protocol.md §7.6)', () => {
  it('passive and active are a set IQ with one child', () => {
    same(buildPassiveSet(true), '<iq to="s.whatsapp.net" type="set" xmlns="passive"><passive/></iq>');
    same(buildPassiveSet(false), '<iq to="s.whatsapp.net" type="set" xmlns="passive"><active/></iq>');
  });
});

describe('dirty bits (whatsapp-rust wacore/src/iq/dirty.rs)', () => {
  it('clean carries each type, with the timestamp when given', () => {
    same(
      buildCleanDirtyBits([{ type: 'account_sync', timestamp: 1700000000 }, { type: 'groups' }]),
      '<iq to="s.whatsapp.net" type="set" xmlns="urn:xmpp:whatsapp:dirty"><clean type="account_sync" timestamp="1700000000"/><clean type="groups"/></iq>',
    );
  });

  it('refuses an empty type and a timestamp that is not Unix seconds', () => {
    expect(() => buildCleanDirtyBits([{ type: '' }])).toThrow(TypeError);
    for (const timestamp of [-1, 1.5, Number.NaN, 2 ** 60]) {
      expect(() => buildCleanDirtyBits([{ type: 'groups', timestamp }]), String(timestamp)).toThrow(
        RangeError,
      );
    }
  });

  it('reads every dirty child of an ib, types the server adds included', () => {
    expect(
      parseDirtyBits(
        fromXml(
          '<ib><dirty type="account_sync" timestamp="1700000000"/><dirty type="groups"/><dirty type="future_kind" timestamp="5"/><offline count="0"/></ib>',
        ),
      ),
    ).toEqual([
      { type: 'account_sync', timestamp: 1700000000 },
      { type: 'groups' },
      { type: 'future_kind', timestamp: 5 },
    ]);
  });

  it('skips a dirty without a type and reports a bad timestamp as none', () => {
    expect(
      parseDirtyBits(
        fromXml(
          '<ib><dirty timestamp="1"/><dirty type=""/><dirty type="groups" timestamp="soon"/><dirty type="groups" timestamp="-4"/></ib>',
        ),
      ),
    ).toEqual([{ type: 'groups' }, { type: 'groups' }]);
  });
});

describe('A/B props (whatsapp-rust wacore/src/iq/props.rs)', () => {
  it('the query is protocol 1, with the held hash when there is one', () => {
    same(buildPropsQuery(), '<iq to="s.whatsapp.net" type="get" xmlns="abt"><props protocol="1"/></iq>');
    same(
      buildPropsQuery('AbC='),
      '<iq to="s.whatsapp.net" type="get" xmlns="abt"><props protocol="1" hash="AbC="/></iq>',
    );
  });

  it('reads experiment and sampling props and the attributes of <props>', () => {
    const reply = parseProps(
      fromXml(
        '<iq type="result"><props protocol="1" ab_key="k" hash="h1" refresh="3600" refresh_id="7">' +
          '<prop config_code="100" config_value="enabled"/>' +
          '<prop event_code="5138" sampling_weight="-1"/>' +
          '<prop config_code="200" config_value="" config_expo_key="5"/>' +
          '</props></iq>',
      ),
    );
    expect(reply).toEqual({
      hash: 'h1',
      abKey: 'k',
      refreshSeconds: 3600,
      refreshId: 7,
      delta: false,
      config: new Map([
        [100, 'enabled'],
        [200, ''],
      ]),
      sampling: new Map([[5138, -1]]),
    });
  });

  it('marks a delta update', () => {
    expect(
      parseProps(fromXml('<iq type="result"><props protocol="1" delta_update="true"/></iq>')).delta,
    ).toBe(true);
    expect(
      parseProps(fromXml('<iq type="result"><props protocol="1" delta_update="false"/></iq>')).delta,
    ).toBe(false);
  });

  it('skips props the references reject instead of failing the rest', () => {
    const { config, sampling } = parseProps(
      fromXml(
        '<props>' +
          '<prop config_code="0" config_value="a"/><prop config_code="x" config_value="b"/><prop config_code="3"/>' +
          '<prop event_code="9" sampling_weight="10001"/><prop event_code="9" sampling_weight="1.5"/>' +
          '<prop/><prop config_code="4" config_value="kept"/><prop event_code="8" sampling_weight="10000"/>' +
          '</props>',
      ),
    );
    expect(config).toEqual(new Map([[4, 'kept']]));
    expect(sampling).toEqual(new Map([[8, 10000]]));
  });

  it('a reply without <props> is malformed', () => {
    expect(() => parseProps(fromXml('<iq type="result"/>'))).toThrow(MalformedFeatureReplyError);
  });
});
