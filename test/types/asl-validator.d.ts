// asl-validator ships no types; this is the part of its API the tests use.
declare module 'asl-validator' {
  const aslValidator: (definition: unknown) => {
    isValid: boolean;
    errors: Array<{ message: string }>;
    errorsText: (separator?: string) => string;
  };
  export default aslValidator;
}
