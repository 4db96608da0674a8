export const containersApi = {};
