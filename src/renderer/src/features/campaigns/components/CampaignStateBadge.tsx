// A campaign's state as a coloured badge; a campaign nobody is sending any more says "interrupted".
import { Badge } from '@mantine/core';
import type { CampaignState } from '../../../../../shared/campaigns.ts';

const colors: Record<CampaignState, string> = {
  draft: 'gray',
  scheduled: 'cyan',
  sending: 'blue',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'red',
};

export function CampaignStateBadge(props: { state: CampaignState; interrupted: boolean; testId?: string }) {
  const { state, interrupted } = props;
  return (
    <Badge
      color={interrupted ? 'orange' : colors[state]}
      variant={interrupted || state === 'sending' ? 'filled' : 'light'}
      data-testid={props.testId}
    >
      {interrupted ? 'interrupted' : state}
    </Badge>
  );
}
