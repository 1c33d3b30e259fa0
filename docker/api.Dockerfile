# API image (placeholder until the training service lands: it runs `npm start`, i.e. the API).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=optional
COPY . .
ENV NODE_ENV=production PORT=3000 TF_BACKEND=auto
EXPOSE 3000
CMD ["npm", "start"]
