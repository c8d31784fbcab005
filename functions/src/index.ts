import { EVENT_FUNCTION_NAMES, FUNCTION_NAMES, SMS_FUNCTION_NAMES } from '@ereg/shared';
import { type CloudEvent, cloudEvent, http } from '@google-cloud/functions-framework';
import { configureLogging } from './observability/logger.ts';
import { configureTracing } from './observability/trace-context.ts';
import { loadCloudConfig } from './runtime/cloud/config.ts';
import { onFunctionsFramework } from './runtime/cloud/functions-framework-host.ts';
import { cloudRuntime, localRuntime, runtimeName } from './runtime/entry-runtime.ts';

// Deployed function names equal the registered names of @ereg/shared's function-names.ts: the API's
// HTTP functions; on Google Cloud also the text messages' HTTP functions and the event functions.
if (runtimeName() === 'local') {
  for (const name of FUNCTION_NAMES) {
    http(
      name,
      onFunctionsFramework(
        localRuntime().then((system) => system.functions[name]),
        name,
        undefined,
        { metrics: localRuntime().then((system) => system.metrics.metrics), name },
      ),
    );
  }
} else {
  // Read now, at the instance's start: a missing or malformed variable stops it with the variable's name.
  const config = loadCloudConfig();
  // Log lines name their trace as Cloud Trace does; spans go to Cloud Trace in batches.
  configureLogging({ projectId: config.GOOGLE_CLOUD_PROJECT });
  // Loaded here, so the local runtime never loads Google's clients.
  void import('@google-cloud/opentelemetry-cloud-trace-exporter').then(({ TraceExporter }) =>
    configureTracing({ exporter: new TraceExporter({ projectId: config.GOOGLE_CLOUD_PROJECT }), batch: true }),
  );
  const system = cloudRuntime(config);
  system.catch(() => {}); // a failure here surfaces on every request instead of crashing the instance
  for (const name of FUNCTION_NAMES)
    http(
      name,
      onFunctionsFramework(
        system.then((s) => s.functions[name]),
        name,
        undefined,
        { metrics: system.then((s) => s.metrics), name },
      ),
    );
  for (const name of SMS_FUNCTION_NAMES)
    http(
      name,
      onFunctionsFramework(
        system.then((s) => s.smsFunctions[name]),
        undefined,
        undefined,
        {
          metrics: system.then((s) => s.metrics),
          name,
        },
      ),
    );
  for (const name of EVENT_FUNCTION_NAMES)
    cloudEvent(name, async (event: CloudEvent<unknown>) => (await system).events[name](event));
}
