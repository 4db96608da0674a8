export const volumesApi = {};
