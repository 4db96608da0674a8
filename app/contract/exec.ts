export const execApi = {};
