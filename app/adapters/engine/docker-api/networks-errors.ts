import { BerthError } from '../../../contract/errors';
import type { NetworkCreateSpec } from '../../../contract/networks';

/**
 * Engine refusals on networks that the shared rules in errors.ts would word badly (a 404 for a
 * missing driver plugin is not "the network does not exist"). Returns null to fall back on them.
 * The patterns are the messages dockerd 20.10 gives (see test/contract/networks*.test.ts).
 */
export type Refusal = (engineMessage: string, err: unknown) => BerthError | null;

const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number } | null)?.statusCode;
const details = (m: string, extra: Record<string, unknown> = {}) => ({ engineMessage: m, ...extra });

export const createRefusal =
  (spec: NetworkCreateSpec): Refusal =>
  (m, err) => {
    if (/pool overlaps|overlaps with other one|conflicts with network/i.test(m)) {
      return new BerthError('CONFLICT', `The subnet ${spec.subnet ?? '(automatic)'} of network "${spec.name}" overlaps a subnet the engine already uses.`, {
        hint: 'Pick another subnet, or remove the network that uses it.',
        details: details(m, { subnet: spec.subnet }),
        cause: err,
      });
    }
    const plugin = /plugin "?([^"\s]+)"? not found/i.exec(m);
    if (plugin) {
      return new BerthError('INVALID_INPUT', `The network driver "${plugin[1]}" is not available on this engine.`, {
        hint: 'Use bridge (the default), or install the driver plugin.',
        details: details(m, { driver: spec.driver }),
        cause: err,
      });
    }
    if (statusOf(err) === 400 || /invalid|not supported/i.test(m)) {
      return new BerthError('INVALID_INPUT', `The engine refused network "${spec.name}": ${m}`, { details: details(m), cause: err });
    }
    return null;
  };

export const removeRefusal =
  (name: string, attached: readonly string[]): Refusal =>
  (m, err) => {
    if (/pre-defined network|cannot be removed/i.test(m)) {
      return new BerthError('INVALID_INPUT', `The network "${name}" is built into the engine and cannot be removed.`, {
        hint: 'Only networks you created can be removed.',
        details: details(m, { network: name }),
        cause: err,
      });
    }
    if (/has active endpoints/i.test(m)) {
      const who = attached.length ? `: ${attached.map((a) => `"${a}"`).join(', ')}` : '';
      return new BerthError('CONFLICT', `The network "${name}" still has containers attached${who}.`, {
        hint: 'Disconnect or remove those containers first.',
        details: details(m, { network: name, containers: [...attached] }),
        cause: err,
      });
    }
    return null;
  };

/** For connect and disconnect: name the right object when one is missing, and say "already"/"not" connected plainly. */
export const connectRefusal =
  (network: string, container: string): Refusal =>
  (m, err) => {
    if (/No such container/i.test(m)) {
      return new BerthError('NOT_FOUND', `The container "${container}" does not exist (${m}).`, {
        hint: 'It may have been removed; refresh the list.',
        details: details(m, { container }),
        cause: err,
      });
    }
    if (/network .* not found|No such network/i.test(m)) {
      return new BerthError('NOT_FOUND', `The network "${network}" does not exist (${m}).`, {
        hint: 'It may have been removed; refresh the list.',
        details: details(m, { network }),
        cause: err,
      });
    }
    if (/endpoint with name .* already exists|already (?:exists in|connected to) network/i.test(m)) {
      return new BerthError('CONFLICT', `The container "${container}" is already connected to network "${network}".`, { details: details(m), cause: err });
    }
    if (/is not connected to (?:the )?network/i.test(m)) {
      return new BerthError('CONFLICT', `The container "${container}" is not connected to network "${network}".`, { details: details(m), cause: err });
    }
    if (statusOf(err) === 400) {
      return new BerthError('INVALID_INPUT', `The engine refused: ${m}`, { details: details(m, { network, container }), cause: err });
    }
    return null;
  };
