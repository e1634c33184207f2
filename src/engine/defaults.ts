// The guide's own values, where the guide has one: apart from the answers' validation, so that
// the entry point can name them in --help without loading it.
export const GUIDE_DEFAULTS = { appName: 'myapp', webGroup: 'www-data', processes: 5, testPort: 8080 } as const;
