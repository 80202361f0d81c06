// `@agentry/core/openai`: the OpenAI provider. The only entry that loads the `openai` SDK.

export type { OpenAIProviderOptions } from './openai-provider';
export { openaiProvider } from './openai-provider';
