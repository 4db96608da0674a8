import { appApi } from './app';
import { enginesApi } from './engines';
import { containersApi } from './containers';
import { imagesApi } from './images';
import { volumesApi } from './volumes';
import { networksApi } from './networks';
import { logsApi } from './logs';
import { statsApi } from './stats';
import { execApi } from './exec';
import { eventsApi } from './events';
import { systemApi } from './system';
import { securityApi } from './security';
import { engineAddressApi } from './engine-address';
import { alertsApi } from './alerts';
import { terminalsApi } from './terminals';
import { vmApi } from './vm';
import { filesApi } from './files';
import { debugApi } from './debug';
import { pathsApi } from './paths';
import { podsApi } from './pods';
import { kubernetesApi } from './kubernetes';

/** The whole API, declared once. Each area declares its procedures in its own file. */
export const api = {
  ...appApi,
  ...enginesApi,
  ...containersApi,
  ...imagesApi,
  ...volumesApi,
  ...networksApi,
  ...logsApi,
  ...statsApi,
  ...execApi,
  ...eventsApi,
  ...systemApi,
  ...securityApi,
  ...engineAddressApi,
  ...alertsApi,
  ...terminalsApi,
  ...vmApi,
  ...filesApi,
  ...debugApi,
  ...pathsApi,
  ...podsApi,
  ...kubernetesApi,
};
export type Api = typeof api;
