// A pre-call transformation (PreCall__Transform=../../examples/precall/greeting.js from src/SimpleAi.Functions, or copy
// it next to workflow.json): handler(precall) gets { call, agent, parameters } and returns { parameters }.
// It runs with a 200 ms limit; if it throws or runs over, Simple AI gets the parameters as they were.
function handler(precall) {
  const p = precall.parameters;
  const first = (p.customer_name || '').split(' ')[0];
  if (first) {
    p.greeting = p.priority === 'high' ? `Welcome back, ${first}. You are a priority customer.` : `Hi ${first}!`;
  }
  return precall;
}
