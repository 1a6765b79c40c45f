// The live preview: the notification as a sample subscriber would see it, in a desktop-style and a
// mobile-style frame, light or dark. Raw and payload-less messages show what the service worker receives.
import { Box, Code, Group, SegmentedControl, Stack, Text, useComputedColorScheme } from '@mantine/core';
import {
  IconBell,
  IconDeviceDesktop,
  IconDeviceMobile,
  IconMoon,
  IconPhoto,
  IconSun,
} from '@tabler/icons-react';
import { useState, type CSSProperties, type ReactNode } from 'react';
import type { NotificationContent } from '../../../../../shared/compose.ts';

type Frame = 'desktop' | 'mobile';
type Scheme = 'light' | 'dark';

const palette = {
  light: {
    wallpaper: 'linear-gradient(135deg, #dbe7ff 0%, #f3e8ff 100%)',
    card: '#ffffff',
    text: '#1f2328',
    dim: '#5f6670',
    border: 'rgba(0,0,0,0.08)',
    button: '#f1f3f5',
  },
  dark: {
    wallpaper: 'linear-gradient(135deg, #0f172a 0%, #312e81 100%)',
    card: '#2b2d31',
    text: '#f2f3f5',
    dim: '#a4a9b1',
    border: 'rgba(255,255,255,0.08)',
    button: '#3a3d43',
  },
};

function PreviewImage(props: {
  src: string;
  alt: string;
  style: CSSProperties;
  colors: (typeof palette)['light'];
}) {
  const [failed, setFailed] = useState<string | null>(null);
  if (failed === props.src) {
    return (
      <Box
        style={{
          ...props.style,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          background: props.colors.button,
        }}
        aria-label={`${props.alt} (could not be loaded)`}
      >
        <IconPhoto size={20} color={props.colors.dim} />
      </Box>
    );
  }
  return (
    <img
      src={props.src}
      alt={props.alt}
      style={{ ...props.style, objectFit: 'cover' }}
      onError={() => setFailed(props.src)}
    />
  );
}

function NotificationCard(props: { n: NotificationContent; origin: string; frame: Frame; scheme: Scheme }) {
  const { n, frame } = props;
  const c = palette[props.scheme];
  const mobile = frame === 'mobile';
  const clamp = (lines: number): CSSProperties => ({
    display: '-webkit-box',
    WebkitLineClamp: lines,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
  });
  return (
    <Box
      data-testid={`preview-${frame}`}
      style={{
        background: c.card,
        color: c.text,
        borderRadius: mobile ? 18 : 12,
        border: `1px solid ${c.border}`,
        boxShadow: '0 8px 24px rgba(0,0,0,0.18)',
        padding: 12,
        width: '100%',
        direction: n.dir === 'rtl' ? 'rtl' : undefined,
      }}
      lang={n.lang}
    >
      <Group gap={6} mb={6} wrap="nowrap">
        {n.badge && mobile ? (
          <PreviewImage
            src={n.badge}
            alt="Badge"
            colors={c}
            style={{ width: 14, height: 14, borderRadius: 3 }}
          />
        ) : (
          <IconBell size={14} color={c.dim} />
        )}
        <Text size="xs" style={{ color: c.dim }} truncate>
          {mobile ? `Browser • ${props.origin} • now` : `Browser · ${props.origin}`}
        </Text>
      </Group>
      <Group align="flex-start" gap="sm" wrap="nowrap">
        <Box style={{ flex: 1, minWidth: 0 }}>
          {n.title ? (
            <Text fw={600} size="sm" style={{ ...clamp(2), color: c.text }} data-testid="preview-title">
              {n.title}
            </Text>
          ) : (
            <Text fw={600} size="sm" fs="italic" style={{ color: c.dim }}>
              Your title appears here
            </Text>
          )}
          {n.body && (
            <Text
              size="sm"
              style={{ ...clamp(mobile ? 4 : 3), color: c.dim, whiteSpace: 'pre-line' }}
              data-testid="preview-body"
            >
              {n.body}
            </Text>
          )}
        </Box>
        {n.icon && (
          <PreviewImage
            src={n.icon}
            alt="Icon"
            colors={c}
            style={{
              width: mobile ? 40 : 48,
              height: mobile ? 40 : 48,
              borderRadius: mobile ? 20 : 8,
              flexShrink: 0,
            }}
          />
        )}
      </Group>
      {n.image && (
        <PreviewImage
          src={n.image}
          alt="Image"
          colors={c}
          style={{
            width: '100%',
            height: mobile ? 140 : 160,
            borderRadius: 8,
            marginTop: 10,
            display: 'block',
          }}
        />
      )}
      {n.actions && n.actions.length > 0 && (
        <Group gap={mobile ? 'md' : 6} mt={10} grow={!mobile}>
          {n.actions.map((a) => (
            <Box
              key={a.action}
              component="span"
              style={{
                textAlign: 'center',
                fontSize: 13,
                fontWeight: mobile ? 600 : 500,
                padding: mobile ? '2px 0' : '6px 8px',
                borderRadius: 6,
                background: mobile ? 'transparent' : c.button,
                color: mobile ? (props.scheme === 'dark' ? '#a5b4fc' : '#4338ca') : c.text,
              }}
              data-testid="preview-action"
            >
              {a.title || ' '}
            </Box>
          ))}
        </Group>
      )}
    </Box>
  );
}

const withIcon = (icon: ReactNode, text: string) => (
  <Group gap={4} wrap="nowrap">
    {icon} {text}
  </Group>
);

/** The URLs the notification opens, as sent (with their campaign links' UTM parameters when tagged). */
function PreviewLinks(props: { n: NotificationContent | null }) {
  const links = [
    ...(props.n?.url ? [{ label: 'Click', url: props.n.url }] : []),
    ...(props.n?.actions ?? []).flatMap((a) => (a.url ? [{ label: a.title, url: a.url }] : [])),
  ];
  if (!links.length) return null;
  return (
    <Stack gap={2} data-testid="preview-links">
      {links.map((link, i) => (
        <Text key={i} size="xs" style={{ wordBreak: 'break-all' }}>
          <Text span size="xs" fw={600}>
            {link.label} opens
          </Text>{' '}
          {link.url}
        </Text>
      ))}
    </Stack>
  );
}

export function NotificationPreview(props: {
  rendered: NotificationContent | null;
  payloadText: string | null;
  origin: string;
  sampleLabel: string | null;
}) {
  const [frame, setFrame] = useState<Frame>('desktop');
  // The preview starts in the app's own scheme, and can be flipped to see the other.
  const [scheme, setScheme] = useState<Scheme>(
    useComputedColorScheme('light', { getInitialValueInEffect: false }),
  );
  const c = palette[scheme];
  const mobile = frame === 'mobile';

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="nowrap">
        <SegmentedControl
          size="xs"
          aria-label="Preview frame"
          value={frame}
          onChange={(v) => setFrame(v as Frame)}
          data={[
            { value: 'desktop', label: withIcon(<IconDeviceDesktop size={14} />, 'Desktop') },
            { value: 'mobile', label: withIcon(<IconDeviceMobile size={14} />, 'Mobile') },
          ]}
        />
        <SegmentedControl
          size="xs"
          aria-label="Preview theme"
          value={scheme}
          onChange={(v) => setScheme(v as Scheme)}
          data={[
            { value: 'light', label: withIcon(<IconSun size={14} />, 'Light') },
            { value: 'dark', label: withIcon(<IconMoon size={14} />, 'Dark') },
          ]}
        />
      </Group>
      <Box
        data-testid="preview-frame"
        data-frame={frame}
        data-scheme={scheme}
        style={{
          background: c.wallpaper,
          borderRadius: mobile ? 40 : 12,
          border: mobile ? `10px solid ${scheme === 'dark' ? '#000' : '#1f2328'}` : `1px solid ${c.border}`,
          padding: mobile ? '14px 12px 28px' : 16,
          minHeight: mobile ? 460 : 260,
          maxWidth: mobile ? 320 : undefined,
          margin: mobile ? '0 auto' : undefined,
        }}
      >
        {mobile && (
          <Stack gap={0} align="center" mb="md" style={{ color: scheme === 'dark' ? '#fff' : '#1f2328' }}>
            <Text size="xs" fw={600}>
              9:41
            </Text>
            <Text fw={300} style={{ fontSize: 44, lineHeight: 1.1 }}>
              9:41
            </Text>
            <Text size="xs">Friday 27 November</Text>
          </Stack>
        )}
        <Box style={{ maxWidth: mobile ? undefined : 380, marginLeft: mobile ? undefined : 'auto' }}>
          {props.rendered ? (
            <NotificationCard n={props.rendered} origin={props.origin} frame={frame} scheme={scheme} />
          ) : (
            <Box
              style={{ background: c.card, color: c.text, borderRadius: 12, padding: 12 }}
              data-testid="preview-payload"
            >
              <Text size="xs" style={{ color: c.dim }} mb={6}>
                {props.payloadText === null
                  ? 'No payload: the push event has no data; your service worker must decide what to show.'
                  : 'Your service worker receives:'}
              </Text>
              {props.payloadText !== null && (
                <Code
                  block
                  style={{ maxHeight: 220, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
                >
                  {props.payloadText}
                </Code>
              )}
            </Box>
          )}
        </Box>
      </Box>
      <PreviewLinks n={props.rendered} />
      <Text size="xs" c="dimmed">
        {props.sampleLabel
          ? `Shown as ${props.sampleLabel} would see it, a subscriber of this audience.`
          : 'No labelled subscriber in this audience: placeholders show their defaults.'}
      </Text>
    </Stack>
  );
}
