export const eventsApi = {};
