// A toolkit document sealed for a link (issue 14): JSON, compressed (deflate-raw), encrypted
// with AES-GCM under a new random 256-bit key. The link carries both after the "#":
//   /shared#v1.<base64url(iv ‖ ciphertext)>.<base64url(key)>
// Browsers never send the fragment to a server (RFC 3986 §3.5; Fetch strips it), so the
// server that serves /shared never sees the copy or its key.
const PREFIX = "v1";

const toBase64Url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

const through = async (bytes, stream) =>
  new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());

export const supported = () =>
  Boolean(window.crypto?.subtle && window.CompressionStream && window.DecompressionStream);

export async function sealForLink(doc, base) {
  const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const packed = await through(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream("deflate-raw"));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, packed));
  const payload = new Uint8Array(iv.length + sealed.length);
  payload.set(iv);
  payload.set(sealed, iv.length);
  const raw = await crypto.subtle.exportKey("raw", key);
  const url = new URL(base, window.location.origin);
  url.hash = `${PREFIX}.${toBase64Url(payload)}.${toBase64Url(raw)}`;
  return url.href;
}

// The document in a link's fragment ("#v1.…"), or null when it is missing or damaged.
export async function openFromFragment(fragment) {
  const [version, data, keyText, ...rest] = fragment.replace(/^#/, "").split(".");
  if (version !== PREFIX || !data || !keyText || rest.length) return null;
  try {
    const payload = fromBase64Url(data);
    const key = await crypto.subtle.importKey("raw", fromBase64Url(keyText), "AES-GCM", false, ["decrypt"]);
    const packed = await crypto.subtle.decrypt({ name: "AES-GCM", iv: payload.slice(0, 12) }, key, payload.slice(12));
    const doc = JSON.parse(new TextDecoder().decode(await through(packed, new DecompressionStream("deflate-raw"))));
    return doc && doc.v === 1 && typeof doc.title === "string" && Array.isArray(doc.sections) ? doc : null;
  } catch {
    return null;
  }
}
