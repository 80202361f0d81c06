// `@agentry/core/anthropic`: the Anthropic provider. The only entry that loads `@anthropic-ai/sdk`.

export type { AnthropicProviderOptions } from './anthropic-provider';
export { anthropicProvider } from './anthropic-provider';
