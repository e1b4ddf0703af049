/** The parts of perspective-api-client (plain JavaScript, no published types) the tests call. */
declare module 'perspective-api-client' {
  interface AnalyzeOptions {
    attributes?: string[];
    doNotStore?: boolean;
  }
  interface AttributeScore {
    summaryScore: { value: number; type: string };
    spanScores?: Array<{ begin: number; end: number; score: { value: number; type: string } }>;
  }
  class Perspective {
    constructor(options: { apiKey: string });
    analyze(text: string | object, options?: AnalyzeOptions): Promise<{ attributeScores: Record<string, AttributeScore> }>;
    static ResponseError: new (message: string, response: unknown) => Error;
  }
  export default Perspective;
}
