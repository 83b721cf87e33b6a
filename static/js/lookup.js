// Suggestions for a look-up box (ui/lookup.py) as one types, in its <datalist>. The box
// works without them: typing part of a reference and saving finds the record.
const DELAY_MS = 250;

function option({ value, label }) {
  const item = document.createElement("option");
  item.value = value;
  if (label !== value) item.label = label;
  return item;
}

document.querySelectorAll("input[data-lookup]").forEach((input) => {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list) return;
  let timer;
  let pending;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = input.value.trim();
      if (text.length < 2) return;
      pending?.abort();
      pending = new AbortController();
      try {
        const response = await fetch(`${input.dataset.lookup}?q=${encodeURIComponent(text)}`, {
          headers: { Accept: "application/json" },
          signal: pending.signal,
        });
        if (!response.ok) return;
        const { results } = await response.json();
        list.replaceChildren(...results.map(option));
      } catch (error) {
        if (error.name !== "AbortError") throw error;
      }
    }, DELAY_MS);
  });
});
