/** Imported first by the bench: the handlers' logs and metrics would drown its tables (read when their modules load). */
Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' });
