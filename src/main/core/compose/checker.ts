// The pre-send checker: every mistake Pushdeck can see before sending, each with how to fix it. Pure: the
// UI runs it as the user types and `pushdeck send --check` before anything goes out.
import {
  FIREFOX_ANDROID_LIMIT_BYTES,
  MAX_TTL_SECONDS,
  PAYLOAD_LIMIT_BYTES,
  topicProblem,
  type AudienceCount,
  type Finding,
  type MessageSpec,
  type PayloadBudget,
  type PlaceholderUse,
  type ComposeOptions,
} from '../../../shared/compose.ts';
import { isPushdeckError } from '../../../shared/errors.ts';
import { validateSubject } from '../keys/vapid-subject.ts';
import { isJson } from '../payload/build.ts';
import { malformedPlaceholders, messageTexts } from '../payload/personalise.ts';

export interface CheckInput {
  message: MessageSpec;
  options: ComposeOptions;
  /** The app's VAPID subject. */
  subject: string;
  audience?: AudienceCount;
  budget?: PayloadBudget;
  placeholders?: PlaceholderUse[];
}

export function checkMessage(input: CheckInput): Finding[] {
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);
  checkSubject(input.subject, add);
  checkOptions(input.options, input.audience, add);
  checkContent(input.message, input.audience, add);
  checkPlaceholderSyntax(input.message, add);
  if (input.placeholders) checkPlaceholders(input.placeholders, input.audience, add);
  if (input.budget) checkBudget(input.budget, add);
  if (input.audience && input.audience.recipients === 0) {
    add({
      code: 'AUDIENCE_EMPTY',
      severity: 'block',
      field: 'audience',
      message: 'Nobody is in this audience: no active subscription matches the filters.',
      fix: 'Loosen the filters, or import subscriptions under Subscriptions.',
    });
  }
  const order = { block: 0, warn: 1, info: 2 };
  return findings.sort((a, b) => order[a.severity] - order[b.severity]);
}

export function blocks(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'block');
}

type Add = (finding: Finding) => void;

function checkSubject(subject: string, add: Add): void {
  try {
    validateSubject(subject);
  } catch (error) {
    if (!isPushdeckError(error)) throw error;
    add({
      code: error.code,
      severity: 'block',
      field: 'subject',
      message: `The app's VAPID subject "${subject}" will be refused: ${error.message}`,
      fix: "Change the app's subject under Keys to mailto:you@yourdomain or https://yourdomain.",
    });
  }
}

function hasApple(audience: AudienceCount | undefined): boolean {
  // Without a count, assume Apple may be there: its rules are the strictest.
  return !audience || (audience.byService.apple ?? 0) > 0;
}

function checkOptions(options: ComposeOptions, audience: AudienceCount | undefined, add: Add): void {
  if (!Number.isInteger(options.ttl) || options.ttl < 0 || options.ttl > MAX_TTL_SECONDS) {
    add({
      code: 'TTL_RANGE',
      severity: 'block',
      field: 'ttl',
      message: `A TTL of ${options.ttl} s is out of range: it must be a whole number of seconds from 0 to ${MAX_TTL_SECONDS.toLocaleString('en')} (4 weeks); FCM rejects more.`,
      fix: 'Pick a preset (1 hour, 1 day, 4 weeks) or a custom value up to 4 weeks.',
    });
  } else if (options.ttl === 0) {
    add({
      code: 'TTL_ZERO',
      severity: 'info',
      field: 'ttl',
      message: 'TTL 0: devices that are offline right now will never get this message.',
      fix: 'Keep 0 only for messages that are worthless a moment later; otherwise use 1 hour or more.',
    });
  }
  if (options.topic) {
    const problem = topicProblem(options.topic);
    if (problem) {
      // Apple's rule blocks even without Apple subscribers in view: Pushdeck's sender refuses such a topic.
      add({
        code: problem.code,
        severity: 'block',
        field: 'topic',
        message:
          problem.appleOnly && !hasApple(audience)
            ? `${problem.message} Pushdeck refuses it for every service, so that a topic works everywhere.`
            : problem.message,
        fix: problem.appleOnly
          ? 'Add or remove a character (e.g. "news1" → "news12"), so the length is not 1, 5, 9, … 29.'
          : 'Use up to 32 letters, digits, "-" or "_", e.g. "price-update".',
      });
    }
  }
  if (options.rate !== undefined && !(Number.isFinite(options.rate) && options.rate > 0)) {
    add({
      code: 'RATE_INVALID',
      severity: 'block',
      field: 'rate',
      message: 'The messages-per-second cap must be a number above 0.',
      fix: 'Clear the cap to send as fast as possible, or enter e.g. 100.',
    });
  }
}

function checkContent(message: MessageSpec, audience: AudienceCount | undefined, add: Add): void {
  if (message.format === 'none') {
    add({
      code: 'SILENT_PUSH',
      severity: 'warn',
      field: 'content',
      message:
        'A push without payload shows nothing by itself. Safari and iOS revoke the permission of sites whose pushes show no notification, and Chrome shows a generic "updated in the background" one.',
      fix: 'Send a notification instead, unless your service worker fetches content and always shows a notification.',
    });
    return;
  }
  if (message.format === 'raw') {
    const raw = message.raw ?? '';
    if (raw.trim() === '') {
      add({
        code: 'RAW_EMPTY',
        severity: 'block',
        field: 'content',
        message: 'The raw payload is empty.',
        fix: 'Write the text or JSON to send, or choose "No payload".',
      });
    } else if (/^\s*[[{]/.test(raw) && !isJson(raw)) {
      add({
        code: 'RAW_JSON_INVALID',
        severity: 'warn',
        field: 'content',
        message:
          'The raw payload looks like JSON but does not parse; a service worker calling data.json() will fail.',
        fix: 'Fix the JSON (check quotes and commas), or send it as plain text on purpose.',
      });
    }
    add({
      code: 'RAW_NEEDS_WORKER',
      severity: 'info',
      field: 'content',
      message:
        'A raw payload is shown only if your service worker turns it into a notification; Safari revokes the permission of sites whose pushes show nothing.',
      fix: 'Make sure your service worker calls showNotification for this payload.',
    });
    return;
  }
  const n = message.notification ?? { title: '' };
  if (n.title.trim() === '') {
    add({
      code: 'TITLE_MISSING',
      severity: 'block',
      field: 'content',
      message:
        'The notification has no title, so it would show nothing: Safari and iOS revoke the permission of sites whose pushes show nothing.',
      fix: 'Write a title.',
    });
  }
  if (!n.icon) {
    add({
      code: 'ICON_MISSING',
      severity: 'warn',
      field: 'icon',
      message: 'No icon: browsers show a generic one, and the notification is harder to recognise as yours.',
      fix: 'Add an icon URL (a square PNG, 192×192 or larger, served over https).',
    });
  }
  const urls: Array<[string, string | undefined, Finding['field']]> = [
    ['icon', n.icon, 'icon'],
    ['image', n.image, 'image'],
    ['badge', n.badge, 'image'],
  ];
  for (const [what, url, field] of urls) {
    if (url && /^http:\/\//i.test(url)) {
      add({
        code: 'IMAGE_HTTP',
        severity: 'warn',
        field,
        message: `The ${what} is served over http: browsers load notification images only over https, so it will not show.`,
        fix: `Serve the ${what} over https: ${url.replace(/^http:/i, 'https:')}`,
      });
    }
  }
  if (n.renotify && !n.tag) {
    add({
      code: 'RENOTIFY_WITHOUT_TAG',
      severity: 'block',
      field: 'content',
      message: 'Renotify needs a tag: showNotification throws a TypeError for renotify without a tag.',
      fix: 'Set a tag, or turn renotify off.',
    });
  }
  for (const action of n.actions ?? []) {
    if (action.url && /^http:\/\//i.test(action.url)) {
      add({
        code: 'URL_HTTP',
        severity: 'warn',
        field: 'url',
        message: `The button "${action.title}" opens an http URL.`,
        fix: 'Use https.',
      });
    }
  }
  if (message.format === 'declarative') {
    const targets: Array<[string, string | undefined]> = [
      ['The click URL', n.url],
      ...(n.actions ?? []).map((a): [string, string | undefined] => [`The button "${a.title}" URL`, a.url]),
    ];
    for (const [what, url] of targets) {
      if (!url || !/^https:\/\/[^/]/i.test(url.replace(/\{\{[^}]*\}\}/g, 'x'))) {
        add({
          code: 'DECLARATIVE_NAVIGATE',
          severity: 'block',
          field: 'url',
          message: `${what} must be an absolute https URL: Declarative Web Push requires "navigate", and Safari drops the message otherwise.`,
          fix: 'Enter a full URL such as https://example.com/sale.',
        });
      }
    }
  }
  if (n.silent && n.title.trim() !== '') {
    add({
      code: 'SILENT_FLAG',
      severity: 'info',
      field: 'content',
      message: '"Silent" only mutes sound and vibration; the notification is still shown.',
      fix: 'Nothing to do unless you expected it to be invisible.',
    });
  }
}

function checkPlaceholderSyntax(message: MessageSpec, add: Add): void {
  // Only what opens with "{{": JSON (raw payloads, custom data) legitimately holds "}}".
  const bad = messageTexts(message)
    .flatMap(malformedPlaceholders)
    .filter((m) => m.startsWith('{{'));
  if (bad.length === 0) return;
  add({
    code: 'PLACEHOLDER_MALFORMED',
    severity: 'warn',
    field: 'content',
    message: `${bad.map((b) => `"${b}"`).join(', ')} ${bad.length === 1 ? 'is not a placeholder' : 'are not placeholders'} and would be sent as written.`,
    fix: 'Write placeholders as {{name}} or {{name|default}}, with a name of letters, digits, "_" or "-".',
  });
}

function checkPlaceholders(uses: PlaceholderUse[], audience: AudienceCount | undefined, add: Add): void {
  const total = audience?.recipients;
  for (const use of uses) {
    if (use.hasDefault || use.missing === 0) continue;
    const nobody = !use.estimated && total !== undefined && use.missing >= total;
    add({
      code: nobody ? 'PLACEHOLDER_UNKNOWN' : 'PLACEHOLDER_MISSING',
      severity: nobody ? 'block' : 'warn',
      field: 'content',
      message: nobody
        ? `{{${use.name}}} is unknown: no subscription in this audience has a "${use.name}" field, so it would be empty for everyone.`
        : use.estimated
          ? `About ${use.missing.toLocaleString('en')} recipient(s) have no "${use.name}" and would see an empty value (estimated from a sample; a dry run counts them all).`
          : `${use.missing.toLocaleString('en')} recipient(s) have no "${use.name}" and would see an empty value.`,
      fix: `Add a default, e.g. {{${use.name}|there}}, or a default value for ${use.name}; or check the spelling against the subscriptions' fields.`,
    });
  }
}

function checkBudget(budget: PayloadBudget, add: Add): void {
  const size = `${budget.exact ? '' : 'up to '}${budget.largestBytes.toLocaleString('en')} bytes`;
  if (budget.largestBytes > PAYLOAD_LIMIT_BYTES) {
    add({
      code: 'PAYLOAD_TOO_LARGE',
      severity: 'block',
      field: 'size',
      message: `The largest personalised payload is ${size}; one encrypted record holds at most ${PAYLOAD_LIMIT_BYTES} bytes, so push services would refuse it (413).`,
      fix: 'Shorten the text or custom data, or move large data behind the click URL.',
    });
  } else if (budget.largestBytes > FIREFOX_ANDROID_LIMIT_BYTES) {
    add({
      code: 'PAYLOAD_FIREFOX_ANDROID',
      severity: 'warn',
      field: 'size',
      message: `The largest personalised payload is ${size}: Firefox on Android accepts only about ${FIREFOX_ANDROID_LIMIT_BYTES}.`,
      fix: 'Shorten the message to reach Firefox on Android too.',
    });
  }
}
