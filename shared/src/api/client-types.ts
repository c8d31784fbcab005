import type { z } from 'zod';
import type { RouteResponses } from './responses.ts';
import type { RouteName } from './route-paths.ts';
import type { ROUTES } from './routes.ts';

// Types only, derived from ROUTES: what a client sends to each route and what it gets back. The web
// apps import these (and the plain paths of route-paths.ts), never the schemas themselves.

type Spec<N extends RouteName> = (typeof ROUTES)[N];
type InputOf<N extends RouteName, K extends 'params' | 'query' | 'body' | 'headers'> =
  Spec<N> extends { readonly [P in K]: infer S extends z.ZodType } ? z.input<S> : undefined;

type Empty = Record<string, never>;
type Present<T> = { [K in keyof T as T[K] extends undefined ? never : K]: T[K] };
/** A part whose every field may be left out may itself be left out. */
type Optional<T> = { [K in keyof T as Empty extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as Empty extends T[K] ? K : never]?: T[K];
};

/**
 * What a client sends to route N: only the parts the route reads, as the client writes them (z.input);
 * a part whose fields are all optional may be left out.
 */
export type RouteRequest<N extends RouteName> = Optional<
  Present<{
    params: InputOf<N, 'params'>;
    query: InputOf<N, 'query'>;
    body: InputOf<N, 'body'>;
    headers: InputOf<N, 'headers'>;
  }>
>;

/** The body of route N's successful answer. */
export type RouteResponse<N extends RouteName> = RouteResponses[N];

/** Per route: its method and path, the request's parts and the answer. */
export type ClientRoutes = {
  [N in RouteName]: {
    method: Spec<N>['method'];
    path: Spec<N>['path'];
    request: RouteRequest<N>;
    response: RouteResponse<N>;
  };
};
