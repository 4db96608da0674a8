/** Images operations of a container engine (filled in by the engine issue). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ImagesOps {}
