// The options page: the server address (chrome.storage.local "apiBase") and the state of the list.

import { API_BASE_KEY, DEFAULT_API_BASE, getApiBase, isAcceptableApiBase, normaliseApiBase } from "./config.js";

const form = document.getElementById("settings");
const input = document.getElementById("api-base");
const error = document.getElementById("api-base-error");
const saved = document.getElementById("saved");
const listStatus = document.getElementById("list-status");
const refreshButton = document.getElementById("refresh");

const dateFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short" });

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
  input.setAttribute("aria-invalid", message ? "true" : "false");
}

function describe(status) {
  if (!status || !status.updatedAt) {
    return "La liste n'a pas encore été téléchargée.";
  }
  const count = status.size.toLocaleString("fr-FR");
  const when = dateFormat.format(new Date(status.updatedAt));
  const plural = status.size > 1 ? "s" : "";
  return `La liste compte ${count} empreinte${plural} (version ${status.version}), mise à jour le ${when}.`;
}

async function showListStatus() {
  try {
    listStatus.textContent = describe(await chrome.runtime.sendMessage({ type: "list-status" }));
  } catch {
    listStatus.textContent = "L'état de la liste n'est pas disponible pour le moment.";
  }
}

async function save(value) {
  await chrome.storage.local.set({ [API_BASE_KEY]: value });
  input.value = value;
  saved.textContent = "Adresse enregistrée. La liste va être téléchargée de nouveau.";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  saved.textContent = "";
  const value = input.value.trim();
  if (!normaliseApiBase(value)) {
    showError("Indiquez une adresse web complète, qui commence par https://.");
    input.focus();
    return;
  }
  if (!isAcceptableApiBase(value)) {
    showError("L'adresse doit commencer par https:// : une connexion non chiffrée pourrait être détournée.");
    input.focus();
    return;
  }
  showError("");
  await save(normaliseApiBase(value));
});

document.getElementById("reset").addEventListener("click", async () => {
  showError("");
  await save(DEFAULT_API_BASE);
});

refreshButton.addEventListener("click", async () => {
  refreshButton.disabled = true;
  listStatus.textContent = "Mise à jour en cours…";
  try {
    const answer = await chrome.runtime.sendMessage({ type: "refresh-list" });
    listStatus.textContent = answer && answer.ok
      ? describe(answer.status)
      : "La liste n'a pas pu être mise à jour : le serveur ne répond pas. Réessayez plus tard.";
  } finally {
    refreshButton.disabled = false;
  }
});

getApiBase().then((apiBase) => {
  input.value = apiBase;
});
showListStatus();
