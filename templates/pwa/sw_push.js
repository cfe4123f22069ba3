// Push notifications: their handlers go here (included at the end of sw.js).
