import * as api from './api.js';
import { byId, clearMessages, el, notify, reportProblem, showView } from './dom.js';

// The API's pipeline schema: endpoint kinds s3, postgres, https, sftp; step kinds filter, map, rename, deduplicate,
// aggregate; an optional EventBridge schedule. Name and description have their own fields.
const TEMPLATE = {
  source: { kind: 's3', location: 's3://example-bucket/input/' },
  steps: [{ name: 'positive-amounts', kind: 'filter', expression: 'amount > 0' }],
  destination: { kind: 's3', location: 's3://example-bucket/output/' },
  schedule: 'rate(1 day)',
};

let editing = null;
let signedOut = () => {};

export function wirePipelines({ onSignedOut }) {
  signedOut = onSignedOut;
  byId('new-pipeline').addEventListener('click', () => openEditor(null).catch(fail));
  byId('cancel-edit').addEventListener('click', () => showPipelines().catch(fail));
  byId('pipeline-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save().catch(fail);
  });
  byId('delete-pipeline').addEventListener('click', () => remove().catch(fail));
}

function fail(error) {
  if (error instanceof api.ApiError && error.status === 401) onSignedOut('Your session has ended: sign in again.');
  else reportProblem(error.message);
}

// Nothing of the previous user may linger in the page after signing out.
export function forgetPipelines() {
  editing = null;
  byId('pipeline-list').replaceChildren();
  byId('pipeline-form').reset();
}

export async function showPipelines() {
  editing = null;
  const pipelines = await api.listPipelines();
  const list = byId('pipeline-list');
  list.replaceChildren(...pipelines.map(listItem));
  byId('pipelines-empty').hidden = pipelines.length > 0;
  showView('pipelines');
}

const changed = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// The list answers ids and change times only; the editor reads the whole document.
function listItem(summary) {
  const modified = new Date(summary.lastModified);
  return el('li', { class: 'pipeline' },
    el('div', {},
      el('h2', { class: 'pipeline-name', text: summary.id }),
      el('p', { class: 'pipeline-changed' },
        'Last changed ', el('time', { datetime: modified.toISOString(), text: changed.format(modified) }))),
    el('button', {
      type: 'button',
      class: 'button button-secondary',
      'aria-label': `Edit ${summary.id}`,
      text: 'Edit',
      onclick: () => openEditor(summary.id).catch(fail),
    }));
}

async function openEditor(id) {
  clearMessages();
  const form = byId('pipeline-form');
  form.reset();
  if (id === null) {
    editing = { id: null, etag: null };
    form.elements.id.readOnly = false;
    form.elements.definition.value = JSON.stringify(TEMPLATE, null, 2);
    byId('editor-title').textContent = 'New pipeline';
    byId('delete-pipeline').hidden = true;
  } else {
    const { pipeline, etag } = await api.getPipeline(id);
    editing = { id, etag };
    form.elements.id.value = id;
    form.elements.id.readOnly = true;
    const { name, description, ...definition } = pipeline;
    form.elements.name.value = name ?? '';
    form.elements.description.value = description ?? '';
    form.elements.definition.value = JSON.stringify(definition, null, 2);
    byId('editor-title').textContent = `Edit ${pipeline.name || id}`;
    byId('delete-pipeline').hidden = false;
  }
  showView('editor');
}

function readForm() {
  const form = byId('pipeline-form');
  const id = form.elements.id.value.trim();
  const name = form.elements.name.value.trim();
  const description = form.elements.description.value.trim();
  if (editing.id === null && !/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) {
    form.elements.id.focus();
    throw new Error('The identifier must be 1 to 64 lower-case letters, digits or hyphens, starting with a letter or digit.');
  }
  if (!name) {
    form.elements.name.focus();
    throw new Error('Give the pipeline a name.');
  }
  let definition;
  try {
    definition = JSON.parse(form.elements.definition.value || '{}');
  } catch (error) {
    form.elements.definition.focus();
    throw new Error(`The definition is not valid JSON: ${error.message}`);
  }
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) {
    form.elements.definition.focus();
    throw new Error('The definition must be a JSON object with source, steps and destination.');
  }
  const pipeline = { ...definition, name };
  if (description) pipeline.description = description;
  else delete pipeline.description;
  return { id, pipeline };
}

async function save() {
  const { id, pipeline } = readForm();
  await api.savePipeline(id, pipeline, editing.etag);
  await showPipelines();
  notify(`Saved ${pipeline.name}.`);
}

async function remove() {
  const name = byId('pipeline-form').elements.name.value || editing.id;
  if (!window.confirm(`Delete the pipeline ${name}?`)) return;
  await api.deletePipeline(editing.id, editing.etag);
  await showPipelines();
  notify(`Deleted ${name}.`);
}
