// @peculiar/x509 needs the Reflect metadata API; each entry imports it once (gateway/node.ts,
// cli/bin.mjs), and so does every test worker.
import 'reflect-metadata';
