// Checks of an A/B plan before it is stored: names and shares (variants.ts), each variant's message with its
// campaign links (utm_content = the variant), and differences between variants that make their figures
// incomparable: TTL, topic and urgency.
import {
  DEFAULT_URGENCY,
  type ComposeOptions,
  type ComposeRequest,
  type Finding,
} from '../../../shared/compose.ts';
import type { Variant, VariantPlan } from '../../../shared/variants.ts';
import { composePreview } from '../compose/preview.ts';
import type { CoreContext } from '../context.ts';
import { withResolvedLinks } from '../payload/campaign-links.ts';
import { validatePlan } from './variants.ts';

/** The plan as stored: validated, each message's links resolved with utm_content = its name. */
export function preparePlan(plan: VariantPlan, campaignName: string | undefined): VariantPlan {
  validatePlan(plan);
  return {
    ...plan,
    variants: plan.variants.map((v) => ({
      ...v,
      message: withResolvedLinks(v.message, campaignName, v.name),
    })),
  };
}

const describe = (values: Array<[string, string]>) => values.map(([name, v]) => `${name} ${v}`).join(', ');

/** Warnings when variants differ in what the push service does with them, beside their content. */
export function variantFindings(
  plan: Pick<VariantPlan, 'variants'>,
  options: Pick<ComposeOptions, 'ttl' | 'urgency' | 'topic'>,
): Finding[] {
  const findings: Finding[] = [];
  const each = <T>(pick: (v: VariantPlan['variants'][number]) => T) =>
    plan.variants.map((v) => [v.name, pick(v)] as [string, T]);
  const ttls = each((v) => v.ttl ?? options.ttl);
  if (new Set(ttls.map(([, t]) => t)).size > 1) {
    findings.push({
      code: 'VARIANTS_TTL_DIFFER',
      severity: 'warn',
      field: 'ttl',
      message: `The variants keep their pushes for different times (${describe(ttls.map(([n, t]) => [n, `${t} s`]))}): a device offline longer than the shorter TTL misses that variant only, so their delivered and expired figures do not compare.`,
      fix: 'Give every variant the same TTL, unless the TTL is what you are testing.',
    });
  }
  const topics = each((v) => v.topic ?? options.topic ?? '');
  if (new Set(topics.map(([, t]) => t)).size > 1) {
    findings.push({
      code: 'VARIANTS_TOPIC_DIFFER',
      severity: 'warn',
      field: 'topic',
      message: `The variants have different topics (${describe(topics.map(([n, t]) => [n, t || 'none']))}): a push with a topic replaces an undelivered one with the same topic, so the variant with a topic can overwrite earlier pushes the other leaves, and the rest sent with the winner replaces its own test push only if the topics match (RFC 8030 §5.4).`,
      fix: 'Give every variant the same topic, or none.',
    });
  }
  const urgencies = each((v) => v.urgency ?? options.urgency ?? DEFAULT_URGENCY);
  if (new Set(urgencies.map(([, u]) => u)).size > 1) {
    findings.push({
      code: 'VARIANTS_URGENCY_DIFFER',
      severity: 'warn',
      field: 'ttl',
      message: `The variants have different urgencies (${describe(urgencies)}): a device on battery saver delays the lower one (RFC 8030 §5.3), which changes when it is seen and clicked.`,
      fix: 'Give every variant the same urgency, unless the urgency is what you are testing.',
    });
  }
  return findings;
}

/**
 * Before an A/B send (`pushdeck send --variant … --check`): every variant checked as its own message over the
 * audience (its payload against the budget, personalised), each finding naming its variant, then the
 * differences between them.
 */
export function checkVariants(ctx: CoreContext, request: ComposeRequest, variants: Variant[]): Finding[] {
  const { ttl, urgency, topic } = request.options;
  const findings = variants.flatMap((v) => {
    const options = {
      ...request.options,
      ttl: v.ttl ?? ttl,
      urgency: v.urgency ?? urgency,
      topic: v.topic ?? topic,
    };
    const preview = composePreview(ctx, { ...request, message: v.message, options });
    return preview.findings.map((f) => ({ ...f, message: `Variant ${v.name}: ${f.message}` }));
  });
  return [...findings, ...variantFindings({ variants }, request.options)];
}
