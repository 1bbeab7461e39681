/**
 * The three hparams summaries of PyTorch's `add_hparams`: the experiment (columns), the session
 * start (this run's values) and the session end. Values carry metadata only.
 * @module
 */
import { ArgumentError, describe } from '../../errors.js';
import type { SummaryValueData } from '../../format/event-proto.js';
import { type HParamInfo, type HParamValue, HParamStatus, HParamType, encodeHParamsPluginData, type HParamsPluginData } from '../../format/plugin-protos.js';
import { toScalar } from '../../util/ndarray.js';

/** Tags of the hparams summaries. */
export const HPARAMS_TAGS = {
  experiment: '_hparams_/experiment',
  sessionStart: '_hparams_/session_start_info',
  sessionEnd: '_hparams_/session_end_info',
} as const;

function value(tag: string, content: HParamsPluginData): SummaryValueData {
  return { tag, metadata: { pluginName: 'hparams', pluginContent: encodeHParamsPluginData(content) } };
}

/** What {@link hparamsValues} returns: the three summaries and the metric values to log. */
export interface HParamsSummaries {
  experiment: SummaryValueData;
  sessionStart: SummaryValueData;
  sessionEnd: SummaryValueData;
  metrics: [string, number][];
}

/**
 * Builds the hparams summaries. Numbers (and one-element tensors) are FLOAT64 hparams, strings
 * STRING, booleans BOOL; `undefined` and `null` values are left out, as PyTorch leaves out None.
 *
 * @example
 * ```ts
 * hparamsValues('addHparams', { lr: 0.1, optimizer: 'sgd' }, { 'hparam/accuracy': 0.9 });
 * ```
 */
export function hparamsValues(
  fn: string,
  hparamDict: Record<string, unknown>,
  metricDict: Record<string, unknown>,
  hparamDomainDiscrete: Record<string, readonly HParamValue[]> = {},
  time?: number,
): HParamsSummaries {
  for (const [name, d] of [['hparamDict', hparamDict], ['metricDict', metricDict]] as const) {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) throw new ArgumentError(`${fn}(): ${name} must be an object of name: value (got ${describe(d)})`);
  }
  const infos: HParamInfo[] = [];
  const values: Record<string, HParamValue> = {};
  for (const [k, raw] of Object.entries(hparamDict)) {
    if (raw === undefined || raw === null) continue;
    let v: HParamValue;
    let type: number;
    if (typeof raw === 'string') (v = raw), (type = HParamType.STRING);
    else if (typeof raw === 'boolean') (v = raw), (type = HParamType.BOOL);
    else if (typeof raw === 'number' || typeof raw === 'object') (v = toScalar(fn, `hparamDict[${JSON.stringify(k)}]`, raw)), (type = HParamType.FLOAT64);
    else throw new ArgumentError(`${fn}(): hparamDict[${JSON.stringify(k)}] must be a number, string, boolean or one-element tensor (got ${describe(raw)})`);
    values[k] = v;
    const info: HParamInfo = { name: k, type };
    const domain = hparamDomainDiscrete[k];
    if (domain !== undefined) {
      if (!Array.isArray(domain) || !domain.every((d) => typeof d === typeof v)) {
        throw new ArgumentError(`${fn}(): hparamDomainDiscrete[${JSON.stringify(k)}] must be an array of ${typeof v}s like the value ${describe(v)} (got ${describe(domain)})`);
      }
      if (!domain.includes(v)) throw new ArgumentError(`${fn}(): hparamDict[${JSON.stringify(k)}] = ${describe(v)} is not in its hparamDomainDiscrete ${describe(domain)}`);
      info.domainDiscrete = [...domain];
    }
    infos.push(info);
  }
  const metrics: [string, number][] = Object.entries(metricDict).map(([k, v]) => [k, toScalar(fn, `metricDict[${JSON.stringify(k)}]`, v)]);
  return {
    experiment: value(HPARAMS_TAGS.experiment, {
      version: 0,
      experiment: { hparamInfos: infos, metricInfos: metrics.map(([tag]) => ({ tag, group: '' })) },
    }),
    sessionStart: value(HPARAMS_TAGS.sessionStart, { version: 0, sessionStartInfo: { hparams: values, startTimeSecs: time } }),
    sessionEnd: value(HPARAMS_TAGS.sessionEnd, { version: 0, sessionEndInfo: { status: HParamStatus.SUCCESS, endTimeSecs: time } }),
    metrics,
  };
}
