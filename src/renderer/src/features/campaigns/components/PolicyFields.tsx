// A campaign's choices about the app's quiet hours and frequency cap: hold or skip who falls inside quiet
// hours (or send anyway), and whether the cap applies. Says plainly when the app has neither.
import { Checkbox, Radio, Stack, Text } from '@mantine/core';
import type { AppDeliverySettings } from '../../../../../shared/delivery-time.ts';
import { formatCap, formatQuietHours } from '../format.ts';

export interface PolicyChoice {
  quietHours: 'hold' | 'skip' | 'ignore';
  frequencyCap: 'apply' | 'ignore';
}

export function PolicyFields(props: {
  delivery: AppDeliverySettings | null;
  value: PolicyChoice;
  onChange: (value: PolicyChoice) => void;
}) {
  const { delivery, value } = props;
  const quiet = delivery?.quietHours ?? null;
  const cap = delivery ? formatCap(delivery.frequencyCap) : null;
  return (
    <Stack gap="xs" data-testid="policy-fields">
      {quiet ? (
        <Radio.Group
          label={`Quiet hours (${formatQuietHours(quiet)}, each subscriber's time)`}
          description="Deliveries that would arrive inside them"
          value={value.quietHours}
          onChange={(v) => props.onChange({ ...value, quietHours: v as PolicyChoice['quietHours'] })}
        >
          <Stack gap={6} mt={6}>
            <Radio value="hold" label={`Hold them until ${quiet.end}`} />
            <Radio value="skip" label="Skip them (recorded as skipped: quiet hours)" />
            <Radio value="ignore" label="Send anyway" />
          </Stack>
        </Radio.Group>
      ) : (
        <Text size="sm" c="dimmed">
          This app has no quiet hours: set them under Keys → Delivery rules.
        </Text>
      )}
      {cap ? (
        <Checkbox
          label={`Apply the frequency cap (${cap}): those over it are skipped (frequency cap)`}
          checked={value.frequencyCap === 'apply'}
          onChange={(e) =>
            props.onChange({ ...value, frequencyCap: e.currentTarget.checked ? 'apply' : 'ignore' })
          }
        />
      ) : (
        <Text size="sm" c="dimmed">
          This app has no frequency cap.
        </Text>
      )}
    </Stack>
  );
}
