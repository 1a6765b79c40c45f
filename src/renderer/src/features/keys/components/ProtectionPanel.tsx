// How private keys are protected here. In the desktop app the user chooses: the system keychain (the app
// only) or a passphrase (the app and the CLI), entered here and held only in main's memory.
import { Alert, Badge, Button, Card, Group, PasswordInput, Radio, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { KeyProtectionChoice, KeyProtectionInfo } from '../../../../../shared/apps.ts';
import { useKeysMutation } from '../mutations.ts';
import { keyProtectionQuery } from '../queries.ts';

const modeLabels = {
  'safe-storage': 'System keychain',
  passphrase: 'Passphrase',
  none: 'Unprotected',
  locked: 'Locked',
} as const;

const resealed = (n: number) => `${n} stored key${n === 1 ? '' : 's'} re-sealed`;

function badgeColor(info: KeyProtectionInfo): string {
  if (info.status.mode === 'none') return 'red';
  if (info.status.mode === 'locked' || info.status.warning) return 'yellow';
  return 'green';
}

function Counts({ info }: { info: KeyProtectionInfo }) {
  const { keysByStorage: k } = info;
  const parts = [
    k['safe-storage'] && `${k['safe-storage']} in the system keychain`,
    k.passphrase && `${k.passphrase} with a passphrase`,
    k.none && `${k.none} unprotected`,
  ].filter(Boolean);
  return parts.length ? (
    <Text size="sm" c="dimmed">
      Stored keys: {parts.join(' · ')}
    </Text>
  ) : null;
}

function UnlockForm() {
  const [passphrase, setPassphrase] = useState('');
  const unlock = useKeysMutation('keys.unlock');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        unlock.mutate({ passphrase }, { onSuccess: () => setPassphrase('') });
      }}
    >
      <Group align="flex-end">
        <PasswordInput
          label="Passphrase"
          value={passphrase}
          onChange={(event) => setPassphrase(event.currentTarget.value)}
          error={unlock.error?.message}
          w={320}
        />
        <Button type="submit" leftSection={<IconLock size={16} />} loading={unlock.isPending}>
          Unlock keys
        </Button>
      </Group>
    </form>
  );
}

/** Re-seals the passphrase-protected keys with a new passphrase; the current one must open all of them. */
function ChangePassphrase({ onDone }: { onDone: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useKeysMutation('keys.changePassphrase');
  const mismatch = repeat !== '' && repeat !== next;
  return (
    <form
      aria-label="Change the passphrase"
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate(
          { current, next },
          {
            onSuccess: (result) => {
              notifications.show({
                color: 'green',
                message: `Passphrase changed; ${resealed(result.resealed)}. Use the new one as PUSHDECK_PASSPHRASE for the command line.`,
              });
              onDone();
            },
          },
        );
      }}
    >
      <Stack gap="sm">
        <Group align="flex-start">
          <PasswordInput
            label="Current passphrase"
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            w={220}
            autoFocus
          />
          <PasswordInput
            label="New passphrase"
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            w={220}
          />
          <PasswordInput
            label="Repeat the new one"
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={mismatch ? 'The two do not match.' : null}
            w={220}
          />
        </Group>
        {change.error && <Alert color="red">{change.error.message}</Alert>}
        <Group>
          <Button
            type="submit"
            disabled={current === '' || next === '' || next !== repeat}
            loading={change.isPending}
          >
            Change passphrase and re-seal keys
          </Button>
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ChooseProtection({ info }: { info: KeyProtectionInfo }) {
  const [choice, setChoice] = useState<KeyProtectionChoice>(info.choice ?? 'safe-storage');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const save = useKeysMutation('keys.setProtection');
  const [changingPassphrase, setChangingPassphrase] = useState(false);
  const changed = choice !== info.choice;
  const mismatch = choice === 'passphrase' && repeat !== '' && repeat !== passphrase;
  return (
    <Stack gap="sm">
      {!changed &&
        info.choice === 'passphrase' &&
        info.unlocked &&
        (changingPassphrase ? (
          <ChangePassphrase onDone={() => setChangingPassphrase(false)} />
        ) : (
          <Group>
            <Button variant="light" onClick={() => setChangingPassphrase(true)}>
              Change passphrase…
            </Button>
          </Group>
        ))}
      <Radio.Group
        value={choice}
        onChange={(value) => setChoice(value as KeyProtectionChoice)}
        label="Protect private keys with"
      >
        <Stack gap="xs" mt="xs">
          <Radio
            value="safe-storage"
            disabled={!info.keychainAvailable}
            label="System keychain (app only)"
            description="Electron safeStorage. The pushdeck command line cannot read these keys."
          />
          <Radio
            value="passphrase"
            label="Passphrase (app and CLI)"
            description="scrypt + AES-256-GCM. Enter it here once per start; the CLI reads the same keys with PUSHDECK_PASSPHRASE."
          />
        </Stack>
      </Radio.Group>
      {changed && choice === 'passphrase' && (
        <Group align="flex-start">
          <PasswordInput
            label="Passphrase"
            value={passphrase}
            onChange={(e) => setPassphrase(e.currentTarget.value)}
            w={260}
          />
          <PasswordInput
            label="Repeat it"
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={mismatch ? 'The two do not match.' : null}
            w={260}
          />
        </Group>
      )}
      {save.error && <Alert color="red">{save.error.message}</Alert>}
      {changed && (
        <Group>
          <Button
            disabled={choice === 'passphrase' && (passphrase === '' || passphrase !== repeat)}
            loading={save.isPending}
            onClick={() =>
              save.mutate(choice === 'passphrase' ? { choice, passphrase } : { choice }, {
                onSuccess: (result) => {
                  setPassphrase('');
                  setRepeat('');
                  notifications.show({
                    color: 'green',
                    message: `Keys now use ${modeLabels[choice].toLowerCase()}; ${resealed(result.resealed)}${result.notResealed ? `, ${result.notResealed} could not be opened and stay as they were` : ''}.`,
                  });
                },
              })
            }
          >
            Switch and re-seal stored keys
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export function ProtectionPanel() {
  const protection = useQuery(keyProtectionQuery());
  const info = protection.data;
  if (!info) return null;
  return (
    <Card withBorder padding="lg" mb="lg" data-testid="protection-panel">
      <Stack gap="sm">
        <Group gap="sm">
          <Text fw={600}>Key protection</Text>
          <Badge color={badgeColor(info)} data-testid="protection-badge">
            {modeLabels[info.status.mode]}
          </Badge>
        </Group>
        <Text size="sm">{info.status.description}</Text>
        <Counts info={info} />
        {info.status.warning && (
          <Alert color={info.status.mode === 'none' ? 'red' : 'yellow'} icon={<IconAlertTriangle />}>
            {info.status.warning}
          </Alert>
        )}
        {info.choice === 'passphrase' && !info.unlocked && <UnlockForm />}
        {info.choice !== null ? (
          <ChooseProtection key={info.choice} info={info} />
        ) : (
          <Text size="xs" c="dimmed">
            Set by the environment: PUSHDECK_PASSPHRASE, or PUSHDECK_INSECURE_KEYS=1 for unprotected keys.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
