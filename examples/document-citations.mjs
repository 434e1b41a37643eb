// Ask a question about a document and get the answer with its citations, in the OpenAI chat-completions shape,
// against the local Bedrock emulator. Run it from a clone after `npm install && npm run build`:
//   node examples/document-citations.mjs
// Against AWS, drop the emulator and load your own configuration: `const config = await loadConfig("config.toml")`.
import { configFromObject, LLM } from "bedrock-llm";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, startEmulator } from "bedrock-llm/emulator";

const policy = `Returns are accepted within 30 days of delivery, with the receipt.
Refunds go back to the original payment method within 5 business days.
Gift cards cannot be returned.`;

const emulator = await startEmulator({ port: 0 });
try {
  const config = configFromObject(
    {
      llm: {
        model: "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0",
        cross_region_target: "us",
        aws_region_name: "us-east-1",
        aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
        aws_secret_access_key: BUILTIN_SECRET_ACCESS_KEY,
        aws_bedrock_runtime_endpoint: emulator.url,
      },
    },
    { env: {} },
  );
  const llm = new LLM(config.llm);

  // An OpenAI `file` part; `citations` asks Bedrock to cite the passages the answer relies on.
  const file = {
    type: "file",
    file: { filename: "returns-policy.txt", file_data: Buffer.from(policy).toString("base64") },
    citations: { enabled: true },
  };
  const question = { type: "text", text: "How long do I have to return an order?" };
  const messages = [{ role: "user", content: [file, question] }];

  const count = await llm.countTokens({ messages });
  console.log(`question: ${count.input_tokens} input tokens (${count.source})`);

  const { choices, usage, cost } = await llm.completion({ messages });
  const { content, citations = [] } = choices[0].message;
  console.log(`answer: ${content}`);
  for (const citation of citations) {
    for (const source of citation.sources) {
      console.log(`cited "${citation.text}" from ${source.title}: "${source.source_content.join(" ")}"`);
    }
  }
  console.log(`${usage.prompt_tokens} tokens in, ${usage.completion_tokens} out, $${cost.toFixed(6)}`);
} finally {
  await emulator.close();
}
