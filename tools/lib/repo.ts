/**
 * @module repo
 * The repository's root folder: tools find the product's files (proxy template, rules, data,
 * the built page) by their path from here, whatever the working directory.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
