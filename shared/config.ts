/** Functions learn their resources from environment variables that CDK and the local runtime both set. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
