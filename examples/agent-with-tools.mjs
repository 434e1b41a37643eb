// A small agent loop in the OpenAI chat-completions shape, run against the local Bedrock emulator.
// Run it from a clone after `npm install && npm run build`:   node examples/agent-with-tools.mjs
// Against AWS, drop the emulator and load your own configuration: `const config = await loadConfig("config.toml")`.
import { configFromObject, LLM } from "bedrock-llm";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY, startEmulator } from "bedrock-llm/emulator";

const emulator = await startEmulator({ port: 0 });
try {
  // The emulator answers deterministically; script this conversation's two model turns: a tool call, then an answer.
  await fetch(`${emulator.url}/_emulator/responses`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify([
      { toolCalls: [{ name: "get_weather", input: { city: "Lisbon" } }], stopReason: "tool_use" },
      { text: "It is 21 °C and sunny in Lisbon: a good afternoon for a walk." },
    ]),
  });

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

  const tools = [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Current weather for a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    },
  ];
  const runTool = ({ city }) => JSON.stringify({ city, celsius: 21, sky: "sunny" });

  const messages = [
    { role: "system", content: "You are a concise assistant. Use tools for facts." },
    { role: "user", content: "Should I walk in Lisbon this afternoon?" },
  ];
  for (let turn = 1; turn <= 5; turn++) {
    const { choices } = await llm.completion({ messages, tools });
    const { message, finish_reason } = choices[0];
    messages.push(message);
    if (finish_reason !== "tool_calls") {
      console.log(`assistant: ${message.content}`);
      break;
    }
    for (const call of message.tool_calls) {
      const result = runTool(JSON.parse(call.function.arguments));
      console.log(`tool ${call.function.name}(${call.function.arguments}) -> ${result}`);
      messages.push({ role: "tool", tool_call_id: call.id, content: result });
    }
  }
  const { accumulated_cost, prompt_tokens, completion_tokens } = llm.metrics;
  console.log(`${prompt_tokens} tokens in, ${completion_tokens} out, $${accumulated_cost.toFixed(6)}`);
} finally {
  await emulator.close();
}
