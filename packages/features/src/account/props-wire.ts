/**
 * A/B props (xmlns `abt`), sans-IO: the server's experiment configuration for this account
 * (whatsapp-rust wacore/src/iq/props.rs, after WhatsApp Web's WASmaxOutAbPropsGetExperimentConfigRequest).
 *
 *   <iq to=s.whatsapp.net type=get xmlns=abt><props protocol=1 [hash=<held hash>]/></iq>
 *   -> <props protocol=1 [ab_key] [hash] [refresh=<seconds>] [refresh_id] [delta_update=true]>
 *        <prop config_code=<n> config_value=<v> [config_expo_key]/>   an experiment's value
 *        <prop event_code=<n> sampling_weight=<-10000..10000>/>        a logging sample rate
 *      </props>
 *
 * With `delta_update=true` the props are only those that changed since `hash`.
 */
import { type BinaryNode, getChild, getChildren } from '@wakit/binary-node';
import { MalformedFeatureReplyError } from '../errors';

/** The props protocol version WhatsApp Web sends. */
export const PROPS_PROTOCOL = '1';

/** One answer to a props query, as sent. */
export interface PropsReply {
  /** The configuration's hash: sent back on the next query to get only what changed. */
  hash?: string | undefined;
  abKey?: string | undefined;
  /** How long the server suggests keeping the props before asking again, in seconds. */
  refreshSeconds?: number | undefined;
  refreshId?: number | undefined;
  /** True when `config` and `sampling` hold only the props that changed since the hash sent. */
  delta: boolean;
  /** Experiment props: config code -> value. */
  config: Map<number, string>;
  /** Sampling props: event code -> weight (-10000..10000). */
  sampling: Map<number, number>;
}

/** The props query; `hash` is the held configuration's, when there is one. */
export function buildPropsQuery(hash?: string): BinaryNode {
  const attrs: Record<string, string> = { protocol: PROPS_PROTOCOL };
  if (hash !== undefined) attrs.hash = hash;
  return {
    tag: 'iq',
    attrs: { to: 's.whatsapp.net', type: 'get', xmlns: 'abt' },
    content: [{ tag: 'props', attrs }],
  };
}

/** A positive integer attribute (codes start at 1), or undefined. */
function positive(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]+$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

/**
 * The props of a reply. A `<prop>` the references would reject (no code, a code of 0, a weight out
 * of range) is skipped, not fatal: one odd experiment must not cost the others.
 *
 * @throws MalformedFeatureReplyError without a `<props>` child.
 */
export function parseProps(reply: BinaryNode): PropsReply {
  const props = reply.tag === 'props' ? reply : getChild(reply, 'props');
  if (props === undefined) throw new MalformedFeatureReplyError('a props reply without <props>');
  const config = new Map<number, string>();
  const sampling = new Map<number, number>();
  for (const prop of getChildren(props, 'prop')) {
    const { config_code, config_value, event_code, sampling_weight } = prop.attrs;
    const code = positive(config_code);
    if (code !== undefined && config_value !== undefined) {
      config.set(code, config_value);
      continue;
    }
    const event = positive(event_code);
    const weight = Number(sampling_weight);
    if (event !== undefined && /^-?[0-9]+$/.test(sampling_weight ?? '') && Math.abs(weight) <= 10_000) {
      sampling.set(event, weight);
    }
  }
  const { ab_key, hash, refresh, refresh_id, delta_update } = props.attrs;
  return {
    hash,
    abKey: ab_key,
    refreshSeconds: positive(refresh),
    refreshId: positive(refresh_id),
    delta: delta_update === 'true',
    config,
    sampling,
  };
}
