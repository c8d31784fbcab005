/** Offers a text as a file to save, through a temporary link to a Blob. */
export function downloadFile(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the Blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
