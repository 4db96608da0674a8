export const statsApi = {};
