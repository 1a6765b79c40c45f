// A small icon button with a tooltip that names its action; the button's accessible name is that action
// too, or `label` where it names the thing acted on as well.
import { ActionIcon, Tooltip, type MantineColor, type MantineSize } from '@mantine/core';
import type { MouseEvent, ReactNode } from 'react';

export function TipIcon(props: {
  tip: string;
  label?: string;
  color?: MantineColor;
  size?: MantineSize;
  onClick: () => void;
  onMouseDown?: (event: MouseEvent) => void;
  children: ReactNode;
}) {
  return (
    <Tooltip label={props.tip}>
      <ActionIcon
        variant="subtle"
        color={props.color}
        size={props.size}
        aria-label={props.label ?? props.tip}
        onClick={props.onClick}
        onMouseDown={props.onMouseDown}
      >
        {props.children}
      </ActionIcon>
    </Tooltip>
  );
}
