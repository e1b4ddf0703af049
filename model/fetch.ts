/**
 * @module model/fetch
 * `npm run model:fetch [-- --dtype q8|fp32|all]`: downloads the real toxic-bert ONNX model from
 * the Hugging Face Hub into MODEL_DIR/MODEL_ID before the service needs it (the service itself
 * never downloads). Environment: HF_REPO, HF_REVISION, HF_ENDPOINT, HF_TOKEN, MODEL_DIR,
 * MODEL_ID, MODEL_DTYPE. Progress goes to stderr; failure is one line on stderr and exit 1.
 */
import { oneLine } from './fetch/errors.ts';
import { fetchModel, summary } from './fetch/fetch-model.ts';
import { resolveOptions } from './fetch/options.ts';

try {
  const result = await fetchModel(resolveOptions(process.argv.slice(2), process.env));
  process.stdout.write(`model:fetch: ${summary(result)}\n`);
} catch (error) {
  process.stderr.write(`model:fetch: ${oneLine(error)}\n`);
  process.exitCode = 1;
}
