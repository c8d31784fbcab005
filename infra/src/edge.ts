import {
  edgeLimits,
  FUNCTION_NAMES,
  type FunctionName,
  type LimitClass,
  type RateLimitName,
  type RateLimitPolicy,
  type RateLimitRule,
  ROUTES,
  type RouteSpec,
} from '@ereg/shared';
import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import type { DeployedFunction } from './functions.ts';

/** The windows Cloud Armor counts in (`rateLimitThreshold.intervalSec`), in seconds. */
export const CLOUD_ARMOR_INTERVALS = [10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600] as const;

/** Where the balancer serves the site: its public domain, and the Firebase Hosting site behind it. */
export interface EdgeSettings {
  /** The site's domain; its DNS A record must name the balancer's address (output `edgeAddress`). */
  domain: string;
  /** The Firebase Hosting domain of the web app (`<site>.web.app`), which serves everything but `/api/`. */
  siteHost: string;
}

export interface EdgeArgs {
  project: string;
  region: string;
  settings: EdgeSettings;
  /** The limits of the deployment; those per network become the security policy's rules. */
  limits: RateLimitPolicy;
  functions: Record<FunctionName, DeployedFunction>;
}

export interface Edge {
  policy: gcp.compute.SecurityPolicy;
  address: gcp.compute.GlobalAddress;
  urlMap: gcp.compute.URLMap;
  forwardingRule: gcp.compute.GlobalForwardingRule;
}

/** A throttle rule of the security policy, from a limit per network. */
export interface EdgeRule {
  limit: RateLimitName;
  priority: number;
  description: string;
  expression: string;
  count: number;
  intervalSec: number;
}

/** A route's site path as a regular expression (`:param` → one segment; `$` and `.` taken literally). */
function pathPattern(spec: RouteSpec): string {
  const literal = spec.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const inner = spec.path === '/' ? '' : literal.replace(/:[A-Za-z]+/g, '[^/]+');
  return `/api/${spec.fn}${inner}`;
}

/**
 * The Cloud Armor expression matching the routes of a limit class (ROUTES' `limit`): their method and
 * their paths in one regular expression, so a rule stays within Cloud Armor's few subexpressions.
 */
export function classExpression(limitClass: LimitClass): string {
  const routes = Object.values(ROUTES as Record<string, RouteSpec>).filter((spec) => spec.limit === limitClass);
  if (routes.length === 0) throw new Error(`No route of the API is limited as ${limitClass}.`);
  const methods = [...new Set(routes.map((spec) => spec.method))];
  const method =
    methods.length === 1
      ? `request.method == '${methods[0]}'`
      : `(${methods.map((m) => `request.method == '${m}'`).join(' || ')})`;
  const paths = [...new Set(routes.map(pathPattern))];
  return `${method} && request.path.matches('^(${paths.join('|')})/?$')`;
}

/**
 * The security policy's throttle rules: one per class with a limit per network, the one with the
 * shortest window (`edgeLimits`: a request meets the first rule that matches it, and no other), matching
 * the routes of its class, counting per client address in Cloud Armor's window of the limit's length.
 */
export function edgeRules(limits: RateLimitPolicy): EdgeRule[] {
  const perNetwork = Object.entries(edgeLimits(limits)) as Array<[RateLimitName, RateLimitRule]>;
  return perNetwork.map(([name, rule], i) => {
    if (!(CLOUD_ARMOR_INTERVALS as readonly number[]).includes(rule.windowSeconds)) {
      throw new Error(
        `rateLimits.${name}: Cloud Armor counts in windows of ${CLOUD_ARMOR_INTERVALS.join(', ')} s, not ${rule.windowSeconds} s`,
      );
    }
    return {
      limit: name,
      priority: 1000 + 10 * i,
      description: `${name}: ${rule.limit} per ${rule.windowSeconds} s per address`,
      expression: classExpression(rule.class),
      count: rule.limit,
      intervalSec: rule.windowSeconds,
    };
  });
}

/** The lowest priority: what no rule matched goes through. */
const DEFAULT_RULE_PRIORITY = 2147483647;

/**
 * The site behind a global external Application Load Balancer, with the limits per network in a Cloud
 * Armor security policy: `/api/<function>/…` goes to each API function through a serverless NEG and a
 * backend service carrying the policy (a client past a limit is answered 429 by Cloud Armor, and the
 * function never sees the request); everything else goes to the Firebase Hosting site through an
 * internet NEG. The API functions then accept only internal traffic and the balancer's
 * (`ALLOW_INTERNAL_AND_GCLB`, functions.ts), so their own URLs and Hosting's rewrites cannot go round it.
 */
export function deployEdge(args: EdgeArgs, opts: pulumi.CustomResourceOptions): Edge {
  const { project, region, settings } = args;
  const policy = new gcp.compute.SecurityPolicy(
    'ereg-edge',
    {
      project,
      name: 'ereg-edge',
      description: 'Limits per client address of the API (shared/src/rate-limits.ts)',
      type: 'CLOUD_ARMOR',
      rules: [
        ...edgeRules(args.limits).map((rule) => ({
          priority: rule.priority,
          description: rule.description.slice(0, 64),
          action: 'throttle',
          match: { expr: { expression: rule.expression } },
          rateLimitOptions: {
            conformAction: 'allow',
            exceedAction: 'deny(429)',
            enforceOnKey: 'IP',
            rateLimitThreshold: { count: rule.count, intervalSec: rule.intervalSec },
          },
        })),
        {
          priority: DEFAULT_RULE_PRIORITY,
          description: 'Everything else',
          action: 'allow',
          match: { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } },
        },
      ],
    },
    opts,
  );

  const backends = {} as Record<FunctionName, gcp.compute.BackendService>;
  for (const name of FUNCTION_NAMES) {
    // A 2nd-gen function is a Cloud Run service of its own name (lower case).
    const service = args.functions[name].fn.serviceConfig.apply((config) => config?.service?.split('/').pop() ?? '');
    const neg = new gcp.compute.RegionNetworkEndpointGroup(
      `edge-${name}`,
      {
        project,
        region,
        name: `ereg-edge-${name.toLowerCase()}`,
        networkEndpointType: 'SERVERLESS',
        cloudRun: { service },
      },
      opts,
    );
    backends[name] = new gcp.compute.BackendService(
      `edge-${name}`,
      {
        project,
        name: `ereg-edge-${name.toLowerCase()}`,
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        protocol: 'HTTPS',
        backends: [{ group: neg.id }],
        securityPolicy: policy.id,
      },
      opts,
    );
  }

  const siteNeg = new gcp.compute.GlobalNetworkEndpointGroup(
    'edge-site',
    { project, name: 'ereg-edge-site', networkEndpointType: 'INTERNET_FQDN_PORT', defaultPort: 443 },
    opts,
  );
  const siteEndpoint = new gcp.compute.GlobalNetworkEndpoint(
    'edge-site',
    { project, globalNetworkEndpointGroup: siteNeg.name, fqdn: settings.siteHost, port: 443 },
    opts,
  );
  const site = new gcp.compute.BackendService(
    'edge-site',
    {
      project,
      name: 'ereg-edge-site',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      protocol: 'HTTPS',
      backends: [{ group: siteNeg.id }],
    },
    { ...opts, dependsOn: [siteEndpoint] },
  );

  const urlMap = new gcp.compute.URLMap(
    'ereg-edge',
    {
      project,
      name: 'ereg-edge',
      defaultService: site.id,
      hostRules: [{ hosts: [settings.domain], pathMatcher: 'site' }],
      pathMatchers: [
        {
          name: 'site',
          defaultService: site.id,
          // Hosting serves a site by its own name.
          defaultRouteAction: { urlRewrite: { hostRewrite: settings.siteHost } },
          pathRules: FUNCTION_NAMES.map((name) => ({
            paths: [`/api/${name}`, `/api/${name}/*`],
            service: backends[name].id,
          })),
        },
      ],
    },
    opts,
  );
  const certificate = new gcp.compute.ManagedSslCertificate(
    'ereg-edge',
    { project, name: 'ereg-edge', managed: { domains: [settings.domain] } },
    opts,
  );
  const proxy = new gcp.compute.TargetHttpsProxy(
    'ereg-edge',
    { project, name: 'ereg-edge', urlMap: urlMap.id, sslCertificates: [certificate.id] },
    opts,
  );
  const address = new gcp.compute.GlobalAddress('ereg-edge', { project, name: 'ereg-edge' }, opts);
  const forwardingRule = new gcp.compute.GlobalForwardingRule(
    'ereg-edge',
    {
      project,
      name: 'ereg-edge',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      ipProtocol: 'TCP',
      portRange: '443',
      ipAddress: address.address,
      target: proxy.id,
    },
    opts,
  );
  return { policy, address, urlMap, forwardingRule };
}
