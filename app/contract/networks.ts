export const networksApi = {};
