export const logsApi = {};
