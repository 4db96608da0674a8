// A files value that needs no schema, in a module without zod: the renderer's first chunk imports it
// (the Containers page leaves helpers out) without building the files schemas; files.ts re-exports it.

/** The label of Berth's short-lived files helper containers (value: the container they read); never listed as the user's. */
export const FILES_HELPER_LABEL = 'io.berth.files-helper-for';
