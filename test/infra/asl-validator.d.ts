// asl-validator 4 ships CommonJS without type declarations; this is the part of its API we use.
declare module 'asl-validator' {
  export interface AslValidationResult {
    isValid: boolean;
    errors: Array<Record<string, unknown>>;
    errorsText(separator?: string): string;
  }
  export default function aslValidator(
    definition: unknown,
    options?: { checkArn?: boolean; checkPaths?: boolean },
  ): AslValidationResult;
}
