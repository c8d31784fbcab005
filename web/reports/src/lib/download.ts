/**
 * Hands the browser a file made here (a table as CSV) to save, through a link to it that is clicked
 * and taken away again; nothing is sent anywhere.
 */
export function downloadFile(doc: Document, fileName: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The browser has read the file once the click's download started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
