/** What the containers page passes to every detail tab it gets from this folder. */
export interface DetailTabProps {
  containerId: string;
  containerName: string;
  /** The container was created with a TTY (its logs have one stream, reported as stdout). */
  tty?: boolean;
  running: boolean;
}
