import { type DynamicModule, Injectable, type MiddlewareConsumer, Module, type NestModule, type OnApplicationShutdown } from '@nestjs/common';
import { shutdown } from 'payi-instrument';
import { ChatService } from './chat.service';
import { ChatController, SummaryController } from './controllers';
import { providerClients, type SampleEndpoints } from './providers';
import { SummaryService } from './summary.service';
import { UserContextMiddleware } from './user.middleware';

/** Flushes every queued Pay-i event when Nest shuts down (with `app.enableShutdownHooks()`). */
@Injectable()
export class PayiShutdownHook implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await shutdown({ timeoutMs: 5000 });
  }
}

/** The sample application's module. */
@Module({})
export class AppModule implements NestModule {
  static forEndpoints(endpoints: SampleEndpoints): DynamicModule {
    return {
      module: AppModule,
      controllers: [ChatController, SummaryController],
      providers: [...providerClients(endpoints), ChatService, SummaryService, PayiShutdownHook],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(UserContextMiddleware).forRoutes('*');
  }
}
