import { api, type Api } from '../contract/api';
import type { Services } from '../services';
import { createRpcServer, type Handlers, type RpcServer, type RpcServerOptions } from './rpc-server';
import { appHandlers } from './app';
import { engineHandlers } from './engines';
import { containersHandlers } from './containers';
import { imagesHandlers } from './images';
import { volumesHandlers } from './volumes';
import { networksHandlers } from './networks';
import { logsHandlers } from './logs';
import { statsHandlers } from './stats';
import { execHandlers } from './exec';
import { eventsHandlers } from './events';
import { systemHandlers } from './system';
import { securityHandlers } from './security';
import { engineAddressHandlers } from './engine-address';
import { alertsHandlers } from './alerts';
import { terminalsHandlers } from './terminals';
import { vmHandlers } from './vm';
import { filesHandlers } from './files';
import { debugHandlers } from './debug';
import { pathsHandlers } from './paths';
import { podsHandlers } from './pods';
import { kubernetesHandlers } from './kubernetes';

export function createHandlers(s: Services): Handlers<Api> {
  return {
    ...appHandlers(s),
    ...engineHandlers(s),
    ...containersHandlers(s),
    ...imagesHandlers(s),
    ...volumesHandlers(s),
    ...networksHandlers(s),
    ...logsHandlers(s),
    ...statsHandlers(s),
    ...execHandlers(s),
    ...eventsHandlers(s),
    ...systemHandlers(s),
    ...securityHandlers(s),
    ...engineAddressHandlers(s),
    ...alertsHandlers(s),
    ...terminalsHandlers(s),
    ...vmHandlers(s),
    ...filesHandlers(s),
    ...debugHandlers(s),
    ...pathsHandlers(s),
    ...podsHandlers(s),
    ...kubernetesHandlers(s),
  };
}

export function createApiServer(s: Services, opts: RpcServerOptions = {}): RpcServer {
  return createRpcServer(api, createHandlers(s), {
    onInternalError: (method, err) => s.log.error(`Unexpected failure in ${method}`, { error: err instanceof Error ? err.stack : String(err) }),
    ...opts,
  });
}
