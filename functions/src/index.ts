import { FUNCTION_NAMES } from '@ereg/shared';
import { http } from '@google-cloud/functions-framework';
import { onFunctionsFramework } from './http/functions-framework-host.ts';
import { functionsRuntime } from './runtime.ts';

// Deployed function names equal these exported names: login, search, booking, centres, admin.
for (const name of FUNCTION_NAMES) {
  http(name, onFunctionsFramework(functionsRuntime().then((system) => system.functions[name])));
}
