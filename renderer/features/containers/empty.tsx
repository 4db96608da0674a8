import { Button } from '../../components/Button';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState } from '../../components/EmptyState';
import { IconContainers, IconPlay, IconSearch, IconWarning } from '../../components/Icons';
import { useActiveEngine } from '../../stores/engines';
import { useContainersView } from './view-store';

/** No container at all: how to get one, from Berth or from a terminal. */
export function NoContainers({ onRun }: { onRun(): void }) {
  const engine = useActiveEngine();
  const host = engine?.endpoint ?? 'unix:///var/run/docker.sock';
  const cli = `DOCKER_HOST=${host} docker run -d -p 8080:80 <image>`;
  return (
    <EmptyState
      icon={<IconContainers />}
      title="No containers yet"
      action={
        <Button variant="primary" icon={<IconPlay />} onClick={onRun}>
          Run a container
        </Button>
      }
    >
      <p>A container is a running copy of an image. Start one from an image with the button below, or from the Images page.</p>
      <p className="ctr-empty-cli-intro">Or from a terminal, pointing the docker CLI at this engine; it shows up here at once:</p>
      <div className="ctr-empty-cli">
        <code>{cli}</code>
        <CopyButton text={cli} label="Copy the command" />
      </div>
    </EmptyState>
  );
}

/** Containers exist, but the filter or the search hides them all. */
export function NoMatch() {
  const { filter, query, setFilter, setQuery } = useContainersView();
  return (
    <EmptyState
      icon={<IconSearch />}
      title="No container matches"
      action={
        <Button
          onClick={() => {
            setQuery('');
            setFilter('all');
          }}
        >
          Show all containers
        </Button>
      }
    >
      {query ? `Nothing ${filter === 'all' ? '' : `${filter} `}matches “${query}” in names, images, ids or labels.` : `There are no ${filter} containers.`}
    </EmptyState>
  );
}

/** The engine is down and nothing was listed yet; the frame's banner says why. */
export function EngineAway() {
  return (
    <EmptyState icon={<IconWarning />} title="Waiting for the engine">
      The containers show up here as soon as the engine answers again; the message above says what went wrong.
    </EmptyState>
  );
}
