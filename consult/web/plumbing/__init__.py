"""The request machinery every area stands on: access rules, sessions, security headers,
throttles, caches, templating, errors, live fan-out. It imports no area."""
