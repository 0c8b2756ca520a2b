/* The widget's own UI strings, in Indonesian and English. The assistant's answers come from the server. */
window.TanyaWidgetStrings = {
  id: {
    launcher: "Buka chat TanyaBPJAMSOSTEK",
    title: "TanyaBPJAMSOSTEK",
    subtitle: "Asisten pendaftaran peserta",
    close: "Tutup chat",
    input: "Ketik pertanyaan Anda…",
    send: "Kirim",
    human: "Hubungi petugas",
    connected: "Terhubung",
    connecting: "Menghubungkan…",
    disconnected: "Terputus, mencoba menghubungkan kembali…",
    typing: "TanyaBPJAMSOSTEK sedang mengetik…",
    log: "Percakapan",
    you: "Anda",
    bot: "TanyaBPJAMSOSTEK",
    language: "Bahasa",
    quickReplies: "Pilihan jawaban"
  },
  en: {
    launcher: "Open TanyaBPJAMSOSTEK chat",
    title: "TanyaBPJAMSOSTEK",
    subtitle: "Participant registration assistant",
    close: "Close chat",
    input: "Type your question…",
    send: "Send",
    human: "Talk to a person",
    connected: "Connected",
    connecting: "Connecting…",
    disconnected: "Disconnected, reconnecting…",
    typing: "TanyaBPJAMSOSTEK is typing…",
    log: "Conversation",
    you: "You",
    bot: "TanyaBPJAMSOSTEK",
    language: "Language",
    quickReplies: "Suggested replies"
  }
};
