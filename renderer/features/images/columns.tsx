import type { ImageSummary } from '../../../app/contract/images';
import type { Column } from '../../components';
import { formatBytes, fullDate, plural, relativeTime } from '../../lib/format';
import { primaryName, shortId, splitTag } from './model';

/** Repository and tag, with a "+2" chip naming the other tags; `<none>` for dangling images. */
function NameCell({ img }: { img: ImageSummary }) {
  if (img.repoTags.length === 0) {
    return (
      <span className="img-name">
        <span className="img-repo mono muted" title={img.repoDigests[0] ?? 'No name: left behind by a rebuild or a newer pull'}>
          {primaryName(img)}
        </span>
        {img.dangling && <span className="tag">dangling</span>}
      </span>
    );
  }
  const { repository, tag } = splitTag(img.repoTags[0] as string);
  const more = img.repoTags.length - 1;
  return (
    <span className="img-name">
      <span className="img-ref mono" title={img.repoTags.join('\n')}>
        <span className="img-repo">{repository}</span>
        {tag && <span className="img-tag">:{tag}</span>}
      </span>
      {(img.platforms?.length ?? 0) > 1 && (
        <span className="tag" title={`This image holds ${img.platforms!.length} platforms:\n${img.platforms!.join('\n')}`} aria-label={`platforms: ${img.platforms!.join(', ')}`}>
          {img.platforms!.length} platforms
        </span>
      )}
      {more > 0 && (
        <span className="tag" title={img.repoTags.slice(1).join('\n')} aria-label={`and ${plural(more, 'more tag')}: ${img.repoTags.slice(1).join(', ')}`}>
          +{more}
        </span>
      )}
    </span>
  );
}

function UseCell({ img }: { img: ImageSummary }) {
  if (!img.inUse) return <span className="muted">Unused</span>;
  return (
    <span className="img-inuse" title={`${plural(img.containers, 'container')} (running or stopped) use this image`}>
      <span className="img-inuse-badge">In use</span>
      {img.containers > 0 && <span className="muted">{plural(img.containers, 'container')}</span>}
    </span>
  );
}

/** The columns; `compact` (the details pane is open) keeps name, size and age. */
export function imageColumns(compact = false): Column<ImageSummary>[] {
  const all: Column<ImageSummary>[] = [
    {
      id: 'name',
      header: 'Repository:tag',
      width: compact ? 'minmax(10rem, 1fr)' : 'minmax(14rem, 3fr)',
      sortValue: (i) => (i.repoTags[0] ?? '\uffff').toLowerCase(),
      cell: (i) => <NameCell img={i} />,
    },
    { id: 'id', header: 'ID', width: '7.5rem', sortValue: (i) => i.id, cell: (i) => <span className="mono muted">{shortId(i.id)}</span> },
    { id: 'use', header: 'Used by', width: 'minmax(9.5rem, 1fr)', sortValue: (i) => i.containers + (i.inUse ? 0.5 : 0), cell: (i) => <UseCell img={i} /> },
    { id: 'size', header: 'Size', width: '6rem', align: 'end', sortValue: (i) => i.size, cell: (i) => formatBytes(i.size) },
    {
      id: 'created',
      header: 'Created',
      width: '8rem',
      sortValue: (i) => i.created,
      cell: (i) => <span title={fullDate(i.created)}>{relativeTime(i.created)}</span>,
    },
  ];
  return compact ? all.filter((c) => c.id !== 'id' && c.id !== 'use') : all;
}
