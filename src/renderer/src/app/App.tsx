// The app shell: a sidebar with the areas (Ctrl/Cmd+1…6 to jump), and the current area's page.
import { AppShell, Group, Kbd, NavLink, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import {
  IconBell,
  IconHistory,
  IconKey,
  IconPencil,
  IconSettings,
  IconSpeakerphone,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { useChangeEvents } from '../api/use-change-events.ts';
import { AppSwitcher } from '../features/apps/components/AppSwitcher.tsx';
import { AuditPage } from '../features/audit/components/AuditPage.tsx';
import { CampaignsPage } from '../features/campaigns/components/CampaignsPage.tsx';
import { useCampaignNotices } from '../features/campaigns/use-campaign-notices.ts';
import { ComposePage } from '../features/compose/components/ComposePage.tsx';
import { KeysPage, NEW_APP_HASH } from '../features/keys/components/KeysPage.tsx';
import { SettingsPage } from '../features/settings/components/SettingsPage.tsx';
import { SubscriptionsPage } from '../features/subscriptions/components/SubscriptionsPage.tsx';
import { areas, type AreaId } from './areas.ts';
import { useArea } from './use-area.ts';

const icons: Record<AreaId, Icon> = {
  campaigns: IconSpeakerphone,
  compose: IconPencil,
  subscriptions: IconUsers,
  keys: IconKey,
  settings: IconSettings,
  audit: IconHistory,
};

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

export function App() {
  const [area, go] = useArea();
  useChangeEvents();
  useCampaignNotices();
  useHotkeys(areas.map((a) => [`mod+${a.shortcut}`, () => go(a.id)]));

  return (
    <AppShell navbar={{ width: 264, breakpoint: 0 }} padding="lg">
      <AppShell.Navbar p="sm" aria-label="Main navigation">
        <Group gap="xs" px="xs" pb="md" pt="xs">
          <IconBell size={22} stroke={2} aria-hidden />
          <Title order={4}>Pushdeck</Title>
        </Group>
        <AppSwitcher onCreate={() => (window.location.hash = NEW_APP_HASH)} />
        <nav>
          {areas.map((a) => {
            const AreaIcon = icons[a.id];
            return (
              <NavLink
                key={a.id}
                href={`#/${a.id}`}
                label={a.label}
                active={area === a.id}
                aria-current={area === a.id ? 'page' : undefined}
                leftSection={<AreaIcon size={18} stroke={1.6} aria-hidden />}
                rightSection={
                  <Text size="xs" c="dimmed" component="span" aria-hidden>
                    <Kbd size="xs">{isMac ? '⌘' : 'Ctrl'}</Kbd> <Kbd size="xs">{a.shortcut}</Kbd>
                  </Text>
                }
                onClick={(event) => {
                  event.preventDefault();
                  go(a.id);
                }}
              />
            );
          })}
        </nav>
      </AppShell.Navbar>
      <AppShell.Main>
        <main aria-label={areas.find((a) => a.id === area)?.label}>
          {area === 'campaigns' && <CampaignsPage onNavigate={go} />}
          {area === 'compose' && <ComposePage onNavigate={go} />}
          {area === 'subscriptions' && <SubscriptionsPage onNavigate={go} />}
          {area === 'keys' && <KeysPage onNavigate={go} />}
          {area === 'settings' && <SettingsPage />}
          {area === 'audit' && <AuditPage />}
        </main>
      </AppShell.Main>
    </AppShell>
  );
}
