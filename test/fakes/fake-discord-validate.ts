/**
 * Discord's limits on message and command bodies, answered the way Discord answers them:
 * 400 with `{ code: 50035, message: 'Invalid Form Body', errors: { path: { _errors: [...] } } }`,
 * or 50006 for an empty message. A bot that passes against the fake stays within the real limits.
 */

/** A Discord JSON error body. */
export interface DiscordErrorBody {
  message: string;
  code: number;
  errors?: Record<string, unknown>;
}

interface FieldError {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Discord-style error bodies for the common cases. */
export const discordErrors = {
  unknownChannel: { message: 'Unknown Channel', code: 10003 },
  unknownMessage: { message: 'Unknown Message', code: 10008 },
  unknownWebhook: { message: 'Unknown Webhook', code: 10015 },
  unknownInteraction: { message: 'Unknown interaction', code: 10062 },
  unknownCommand: { message: 'Unknown application command', code: 10063 },
  unknownGuild: { message: 'Unknown Guild', code: 10004 },
  unknownMember: { message: 'Unknown Member', code: 10007 },
  unknownUser: { message: 'Unknown User', code: 10013 },
  alreadyAcknowledged: { message: 'Interaction has already been acknowledged.', code: 40060 },
  emptyMessage: { message: 'Cannot send an empty message', code: 50006 },
  cannotEditOthers: { message: 'Cannot edit a message authored by another user', code: 50005 },
  unauthorized: { message: '401: Unauthorized', code: 0 },
  notFound: { message: '404: Not Found', code: 0 },
  methodNotAllowed: { message: '405: Method Not Allowed', code: 0 },
} as const satisfies Record<string, DiscordErrorBody>;

/** Nests field errors into Discord's `errors` tree (`embeds.0.title._errors`). */
function formBodyError(fieldErrors: FieldError[]): DiscordErrorBody {
  const errors: Record<string, unknown> = {};
  for (const e of fieldErrors) {
    let node = errors;
    for (const key of e.path) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Record<string, unknown>;
    }
    node._errors ??= [];
    const list = node._errors as { code: string; message: string }[];
    list.push({ code: e.code, message: e.message });
  }
  return { message: 'Invalid Form Body', code: 50035, errors };
}

const maxLength = (path: FieldError['path'], value: unknown, max: number): FieldError[] =>
  typeof value === 'string' && value.length > max ? [{ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` }] : [];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkUrl(path: FieldError['path'], value: unknown): FieldError[] {
  if (value === undefined || value === null) return [];
  let ok = false;
  try {
    const u = new URL(String(value));
    ok = ['http:', 'https:', 'attachment:'].includes(u.protocol);
  } catch {
    ok = false;
  }
  return ok ? [] : [{ path, code: 'URL_TYPE_INVALID_URL', message: 'Not a well formed URL.' }];
}

function embedErrors(embed: unknown, i: number): { errors: FieldError[]; size: number } {
  const p = (...rest: (string | number)[]) => ['embeds', i, ...rest];
  if (!isRecord(embed)) return { errors: [{ path: p(), code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' }], size: 0 };
  const errors: FieldError[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v.length : 0);
  let size = str(embed.title) + str(embed.description);
  errors.push(...maxLength(p('title'), embed.title, 256), ...maxLength(p('description'), embed.description, 4096));
  errors.push(...checkUrl(p('url'), embed.url));
  const fields = Array.isArray(embed.fields) ? embed.fields : [];
  if (fields.length > 25) errors.push({ path: p('fields'), code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  fields.forEach((f: unknown, j) => {
    const field = isRecord(f) ? f : {};
    for (const [key, max] of [
      ['name', 256],
      ['value', 1024],
    ] as const) {
      if (typeof field[key] !== 'string' || field[key] === '') {
        errors.push({ path: p('fields', j, key), code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      }
      errors.push(...maxLength(p('fields', j, key), field[key], max));
      size += str(field[key]);
    }
  });
  if (isRecord(embed.footer)) {
    errors.push(...maxLength(p('footer', 'text'), embed.footer.text, 2048));
    size += str(embed.footer.text);
  }
  if (isRecord(embed.author)) {
    errors.push(...maxLength(p('author', 'name'), embed.author.name, 256), ...checkUrl(p('author', 'url'), embed.author.url));
    size += str(embed.author.name);
  }
  return { errors, size };
}

function componentErrors(components: unknown[]): FieldError[] {
  const errors: FieldError[] = [];
  if (components.length > 5) errors.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  const customIds = new Set<string>();
  components.forEach((row: unknown, i) => {
    if (!isRecord(row) || !Array.isArray(row.components)) return;
    if (row.components.length > 5) {
      errors.push({ path: ['components', i, 'components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
    }
    row.components.forEach((c: unknown, j) => {
      if (!isRecord(c)) return;
      const p = (k: string) => ['components', i, 'components', j, k];
      errors.push(...maxLength(p('label'), c.label, 80), ...maxLength(p('custom_id'), c.custom_id, 100));
      if (c.type === 2 && c.style === 5) {
        errors.push(...checkUrl(p('url'), c.url));
      } else if (typeof c.custom_id === 'string') {
        if (customIds.has(c.custom_id)) {
          errors.push({ path: p('custom_id'), code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
        }
        customIds.add(c.custom_id);
      } else {
        errors.push({ path: p('custom_id'), code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      }
    });
  });
  return errors;
}

const IS_COMPONENTS_V2 = 1 << 15;

/**
 * Checks a create/edit message body against Discord's limits: content ≤ 2,000 characters, ≤ 10
 * embeds, per-field embed limits, 6,000 characters across all embeds, ≤ 5 rows of ≤ 5 components.
 * `requireContent` (creates, not edits) also rejects a message with nothing in it (50006).
 */
export function validateMessageBody(body: unknown, options: { requireContent: boolean; hasFiles?: boolean }): DiscordErrorBody | null {
  const b = isRecord(body) ? body : {};
  const errors: FieldError[] = [...maxLength(['content'], b.content, 2000)];
  const embeds = Array.isArray(b.embeds) ? b.embeds : [];
  if (embeds.length > 10) errors.push({ path: ['embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
  let total = 0;
  embeds.forEach((e: unknown, i) => {
    const r = embedErrors(e, i);
    errors.push(...r.errors);
    total += r.size;
  });
  if (total > 6000) errors.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  const components = Array.isArray(b.components) ? b.components : [];
  const flags = typeof b.flags === 'number' ? b.flags : 0;
  if ((flags & IS_COMPONENTS_V2) === 0) errors.push(...componentErrors(components));
  if (errors.length > 0) return formBodyError(errors);
  const empty =
    (typeof b.content !== 'string' || b.content.trim() === '') &&
    embeds.length === 0 &&
    components.length === 0 &&
    !options.hasFiles &&
    !isRecord(b.poll) &&
    !(Array.isArray(b.sticker_ids) && b.sticker_ids.length > 0);
  return options.requireContent && empty ? discordErrors.emptyMessage : null;
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function optionErrors(options: unknown, path: (string | number)[]): FieldError[] {
  if (!Array.isArray(options)) return [];
  const errors: FieldError[] = [];
  if (options.length > 25) errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  let sawOptional = false;
  options.forEach((o: unknown, i) => {
    const opt = isRecord(o) ? o : {};
    errors.push(...nameAndDescription(opt, [...path, i], true));
    if (opt.type !== 1 && opt.type !== 2) {
      if (opt.required === true && sawOptional) {
        errors.push({
          path: [...path, i],
          code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
          message: 'Required options must be placed before non-required options',
        });
      }
      if (opt.required !== true) sawOptional = true;
    }
    if (Array.isArray(opt.choices) && opt.choices.length > 25) {
      errors.push({ path: [...path, i, 'choices'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    }
    errors.push(...optionErrors(opt.options, [...path, i, 'options']));
  });
  return errors;
}

function nameAndDescription(c: Record<string, unknown>, path: (string | number)[], needsDescription: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const name = c.name;
  // Chat-input names follow the regex, lower case; user and message (context-menu) commands may have
  // capitals and spaces, 1–32 characters.
  const valid = needsDescription
    ? typeof name === 'string' && COMMAND_NAME.test(name) && name === name.toLowerCase()
    : typeof name === 'string' && /^[^\n]{1,32}$/u.test(name) && name.trim() === name;
  if (!valid) {
    errors.push({ path: [...path, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid` });
  }
  if (needsDescription) {
    const d = c.description;
    if (typeof d !== 'string' || d.length < 1 || d.length > 100) {
      errors.push({ path: [...path, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    }
  }
  return errors;
}

/** Checks a bulk-overwrite body: names, descriptions, option order and counts, duplicate names. */
export function validateCommands(body: unknown): DiscordErrorBody | null {
  if (!Array.isArray(body)) return formBodyError([{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
  const errors: FieldError[] = [];
  if (body.length > 100) errors.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
  const seen = new Set<string>();
  body.forEach((c: unknown, i) => {
    const cmd = isRecord(c) ? c : {};
    const chatInput = cmd.type === undefined || cmd.type === 1;
    errors.push(...nameAndDescription(cmd, [i], chatInput), ...optionErrors(cmd.options, [i, 'options']));
    const key = `${String(cmd.type ?? 1)}:${String(cmd.name)}`;
    if (seen.has(key)) {
      errors.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` });
    }
    seen.add(key);
  });
  return errors.length > 0 ? formBodyError(errors) : null;
}

/**
 * Checks an autocomplete answer (callback type 8): at most 25 choices, each with a 1–100 character
 * `name` and a string value of at most 100 characters (or a number).
 */
export function validateAutocompleteChoices(data: unknown): DiscordErrorBody | null {
  const choices = isRecord(data) ? data.choices : undefined;
  if (!Array.isArray(choices)) return formBodyError([{ path: ['data', 'choices'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
  const errors: FieldError[] = [];
  if (choices.length > 25) errors.push({ path: ['data', 'choices'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  choices.forEach((c: unknown, i) => {
    const choice = isRecord(c) ? c : {};
    const p = (k: string) => ['data', 'choices', i, k];
    if (typeof choice.name !== 'string' || choice.name.length < 1 || choice.name.length > 100) {
      errors.push({ path: p('name'), code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
    }
    if (typeof choice.value === 'string') errors.push(...maxLength(p('value'), choice.value, 100));
    else if (typeof choice.value !== 'number') errors.push({ path: p('value'), code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  });
  return errors.length > 0 ? formBodyError(errors) : null;
}

/**
 * Checks a modal (callback type 9): a `custom_id` (≤ 100), a 1–45 character title, 1–5 top-level
 * components, each a Label (type 18) with one component or an action row (type 1) with one text input,
 * text inputs with a custom id and a label of at most 45 characters when the input carries one.
 */
export function validateModal(data: unknown): DiscordErrorBody | null {
  const m = isRecord(data) ? data : {};
  const errors: FieldError[] = [...maxLength(['data', 'custom_id'], m.custom_id, 100)];
  if (typeof m.custom_id !== 'string' || m.custom_id === '')
    errors.push({ path: ['data', 'custom_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  if (typeof m.title !== 'string' || m.title.length < 1 || m.title.length > 45) {
    errors.push({ path: ['data', 'title'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 45 in length.' });
  }
  const rows = Array.isArray(m.components) ? m.components : [];
  if (rows.length < 1 || rows.length > 5)
    errors.push({ path: ['data', 'components'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' });
  rows.forEach((r: unknown, i) => {
    const row = isRecord(r) ? r : {};
    const inputs = row.type === 18 ? [row.component] : row.type === 1 && Array.isArray(row.components) ? row.components : [];
    if (inputs.length !== 1) {
      errors.push({ path: ['data', 'components', i], code: 'UI_COMPONENT_INVALID', message: 'A modal row holds exactly one component.' });
    }
    if (row.type === 18) errors.push(...maxLength(['data', 'components', i, 'label'], row.label, 45));
    inputs.forEach((c: unknown) => {
      const input = isRecord(c) ? c : {};
      if (typeof input.custom_id !== 'string' || input.custom_id === '') {
        errors.push({ path: ['data', 'components', i, 'custom_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      }
      errors.push(...maxLength(['data', 'components', i, 'label'], input.label, 45));
    });
  });
  return errors.length > 0 ? formBodyError(errors) : null;
}
